// Series as CSV: one row per sample time, one column per series, an empty cell for a gap.
import type { Point } from './series';

export interface CsvColumn {
  name: string;
  points: readonly Point[];
}

/** `time,<name>…` with ISO times, rows in time order over every column's samples. */
export function seriesCsv(columns: readonly CsvColumn[]): string {
  const times = new Set<number>();
  const byColumn = columns.map(c => {
    const m = new Map<number, number | null>();
    for (const p of c.points) {
      times.add(p.t);
      m.set(p.t, p.v);
    }
    return m;
  });
  const lines = [['time', ...columns.map(c => c.name)].map(cell).join(',')];
  for (const t of [...times].sort((a, b) => a - b)) {
    const row = [new Date(t).toISOString(), ...byColumn.map(m => {
      const v = m.get(t);
      return v === null || v === undefined || !Number.isFinite(v) ? '' : String(Math.round(v * 1000) / 1000);
    })];
    lines.push(row.map(cell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** RFC 4180: quoted when it holds a comma, a quote or a line break; a leading = + - @ is kept from spreadsheets' formulas. */
function cell(s: string): string {
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
