// Figures as people read them in a tree row: 3,412 · 1.2 MiB · 4 s ago.

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/**
 * Binary units, as JetStream's limits are set (`max_bytes` 1 GiB = 1,073,741,824): exact multiples whole (`8 MiB`),
 * others with one decimal (`1.2 MiB`). The one byte formatter: tree, plans, prompts, views and tails.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${v} B`;
  return `${Number.isInteger(v) || v >= 100 ? Math.round(v) : v.toFixed(1)} ${UNITS[u]}`;
}

/** `4 s ago`, `12 min ago`, `3 h ago`, `5 d ago`; `never` without a time. */
export function formatAgo(then: Date | undefined, now: Date = new Date()): string {
  if (!then || then.getTime() <= 0) return 'never';
  const s = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** Nanoseconds (JetStream's unit) as `30d`, `1h`, `2m`, `500ms`; 0 as `unlimited`. */
export function formatNanos(ns: number): string {
  if (!ns) return 'unlimited';
  const ms = ns / 1e6;
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${ms}ms`;
}

/** `1.2 MB of 10 GB`, or `1.2 MB (no limit)` for JetStream's -1 / 0. */
export function formatUsage(used: number, limit: number, format: (n: number) => string = formatBytes): string {
  return limit > 0 ? `${format(used)} of ${format(limit)}` : `${format(used)} (no limit)`;
}
