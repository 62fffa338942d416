// What a person types for a bucket's durations and sizes: `90s`, `5m`, `1h`, `7d`, `0` (none); `512`, `64KiB`, `1MB`.

/** Milliseconds, or a sentence saying what is wrong. */
export function parseDuration(text: string): number | string {
  const t = text.trim().toLowerCase();
  if (t === '' || t === '0' || t === 'none') return 0;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)$/.exec(t);
  if (!m) return `"${text}" is not a duration: write a number and a unit (ms, s, m, h, d), such as 90s, 5m, 1h or 7d, or 0 for none.`;
  const unit = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms'];
  return Math.round(Number(m[1]) * unit);
}

/** Bytes (-1 for none), or a sentence saying what is wrong. */
export function parseSize(text: string): number | string {
  const t = text.trim();
  if (t === '' || t === '-1' || /^(none|unlimited)$/i.test(t)) return -1;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kib|kb|k|mib|mb|m|gib|gb|g)?$/i.exec(t);
  if (!m) return `"${text}" is not a size: write a number of bytes or with a unit (KiB, MiB, GiB), such as 1024 or 64KiB, or leave it empty for no limit.`;
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit.startsWith('g') ? 1024 ** 3 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('k') ? 1024 : 1;
  return Math.round(Number(m[1]) * mult);
}
