// Find Messages' time range: `since` and `until` as people type them (10m, 2h, 1d, an ISO time), read by the
// same parser as View Messages and export --since, so both say the same sentence for a time that is no time.
import { parseSince } from '../message/since';

export interface TimeRange {
  /** No lower bound when absent. */
  since?: Date;
  /** No upper bound when absent. */
  until?: Date;
}

export type TimeRangeResult =
  | { ok: true; range: TimeRange }
  | { ok: false; field: 'since' | 'until'; problem: string };

// parseSince refuses a time after now (nothing was stored since then); as an upper bound such a time is harmless.
const END_OF_TIME = new Date(8.64e15);

/** Both bounds relative to `now`; a blank input is no bound; a problem names which input and why, in one sentence. */
export function parseTimeRange(input: { since?: string; until?: string }, now: Date = new Date()): TimeRangeResult {
  const range: TimeRange = {};
  if (input.since !== undefined && input.since.trim() !== '') {
    const r = parseSince(input.since, now);
    if (!r.ok) return { ok: false, field: 'since', problem: r.problem };
    range.since = r.since;
  }
  if (input.until !== undefined && input.until.trim() !== '') {
    const r = parseSince(input.until, now);
    if (r.ok) range.until = r.since;
    else {
      // Only an ISO time after now fails relative to now and reads relative to the end of time.
      const later = parseSince(input.until, END_OF_TIME);
      if (!later.ok) return { ok: false, field: 'until', problem: r.problem };
      range.until = later.since;
    }
  }
  if (range.since && range.until && range.since.getTime() >= range.until.getTime()) {
    return {
      ok: false,
      field: 'until',
      problem: `Until (${range.until.toISOString()}) is not after since (${range.since.toISOString()}): no message lies between them.`,
    };
  }
  return { ok: true, range };
}

const WINDOW_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A trace window as typed (`15m`, `2h`, `1d`, `90s`) in milliseconds, or a sentence saying what to type. */
export function parseWindow(text: string): { ok: true; ms: number } | { ok: false; problem: string } {
  const m = /^\s*(\d{1,9})\s*(ms|s|m|h|d)\s*$/.exec(text);
  const ms = m ? Number(m[1]) * WINDOW_UNITS[m[2]!]! : 0;
  if (!m || ms <= 0) return { ok: false, problem: `"${text}" is no window: write a number and a unit, such as 15m, 2h or 1d.` };
  return { ok: true, ms };
}
