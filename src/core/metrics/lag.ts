// Lag in time and where a figure is going: the age of the oldest message a consumer has not yet had acknowledged,
// and whether a series grows, shrinks or holds over its last samples.
import type { Point } from './series';

/**
 * The age in ms at `t` of the oldest message not yet acknowledged (or delivered), given that message's stored time:
 * 0 when nothing is outstanding, null when outstanding but its time is unknown (the message could not be read).
 */
export function lagMs(t: number, outstanding: number, oldestStoredAt: number | undefined): number | null {
  if (outstanding <= 0) return 0;
  if (oldestStoredAt === undefined || !Number.isFinite(oldestStoredAt)) return null;
  // a server clock ahead of ours is not a negative lag
  return Math.max(0, t - oldestStoredAt);
}

export type Trend = 'growing' | 'shrinking' | 'steady' | 'unknown';

export interface TrendOptions {
  /** The last this many samples (gaps skipped) decide; default 10. */
  samples?: number;
  /** A change over the window up to this much (in the series' unit) is steady; default 0. */
  tolerance?: number;
  /** …or up to this share of the largest value in the window (0.1 = 10 %); default 0.05. */
  relativeTolerance?: number;
}

export interface TrendResult {
  trend: Trend;
  /** The fitted change over the window, in the series' unit (least squares, so one spike does not decide). */
  change: number;
  /** Samples that decided. */
  samples: number;
}

/** Growing, shrinking or steady over the last samples, by a least-squares line through them; unknown under three. */
export function trend(points: readonly Point[], options: TrendOptions = {}): TrendResult {
  const n = options.samples ?? 10;
  const pts: { t: number; v: number }[] = [];
  for (let i = points.length - 1; i >= 0 && pts.length < n; i--) {
    const p = points[i]!;
    if (p.v !== null && Number.isFinite(p.v)) pts.unshift({ t: p.t, v: p.v });
  }
  if (pts.length < 3) return { trend: 'unknown', change: 0, samples: pts.length };
  const t0 = pts[0]!.t;
  const span = pts[pts.length - 1]!.t - t0;
  if (!(span > 0)) return { trend: 'unknown', change: 0, samples: pts.length };
  let sx = 0, sy = 0, sxx = 0, sxy = 0, max = 0;
  for (const p of pts) {
    const x = p.t - t0;
    sx += x;
    sy += p.v;
    sxx += x * x;
    sxy += x * p.v;
    max = Math.max(max, Math.abs(p.v));
  }
  const k = pts.length;
  const denom = k * sxx - sx * sx;
  const slope = denom === 0 ? 0 : (k * sxy - sx * sy) / denom;
  const change = slope * span;
  const tolerance = Math.max(options.tolerance ?? 0, (options.relativeTolerance ?? 0.05) * max);
  const result: Trend = Math.abs(change) <= tolerance ? 'steady' : change > 0 ? 'growing' : 'shrinking';
  return { trend: result, change, samples: k };
}

/** How many samples in a row, up to the last, each grew on the one before (a gap ends the run). */
export function growingFor(points: readonly Point[]): number {
  let run = 0;
  for (let i = points.length - 1; i > 0; i--) {
    const cur = points[i]!.v;
    const prev = points[i - 1]!.v;
    if (cur === null || prev === null || !(cur > prev)) break;
    run++;
  }
  return run;
}
