// Shared benchmark helpers: every benchmark times and reports its figures the same way.
import { performance } from 'node:perf_hooks';

/** One measured number, printed as one line: `name: value unit (goal ...) ok`. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  ok?: boolean;
}

export interface TimeOptions {
  /** Calls of the function per run. */
  iterations?: number;
  runs?: number;
  /** Untimed runs first, so the JIT has compiled what the timed runs measure. */
  warmupRuns?: number;
}

export interface Timing {
  /** Milliseconds of the fastest run (all its iterations). */
  bestMs: number;
  medianMs: number;
  /** Milliseconds of each timed run, in order. */
  runsMs: number[];
  iterations: number;
}

function summarize(runsMs: number[], iterations: number): Timing {
  return { bestMs: Math.min(...runsMs), medianMs: percentile(runsMs, 50), runsMs, iterations };
}

export function time(fn: () => void, { iterations = 1, runs = 5, warmupRuns = 1 }: TimeOptions = {}): Timing {
  const runsMs: number[] = [];
  for (let r = -warmupRuns; r < runs; r++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    if (r >= 0) runsMs.push(performance.now() - start);
  }
  return summarize(runsMs, iterations);
}

/** As `time`, awaiting each call (for publishing, I/O, anything async). */
export async function timeAsync(
  fn: () => Promise<unknown>,
  { iterations = 1, runs = 5, warmupRuns = 1 }: TimeOptions = {},
): Promise<Timing> {
  const runsMs: number[] = [];
  for (let r = -warmupRuns; r < runs; r++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) await fn();
    if (r >= 0) runsMs.push(performance.now() - start);
  }
  return summarize(runsMs, iterations);
}

/** Microseconds of each call `fn(0)` .. `fn(calls - 1)`, for percentiles. */
export function perCallMicros(fn: (i: number) => void, calls: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = process.hrtime.bigint();
    fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return samples;
}

/** The nearest-rank percentile p (0-100) of the samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** A deterministic generator in [0, 1) (mulberry32), so generated inputs are the same every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function formatValue(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100 || value === 0 || !Number.isFinite(value)) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

export function formatFigure({ name, value, unit, goal, ok }: Figure): string {
  const gap = unit === '' || unit === 'x' || unit === '%' ? '' : ' ';
  const goalText = goal === undefined ? '' : ` (goal ${goal})`;
  const verdict = ok === undefined ? '' : ok ? ' ok' : ' MISSED';
  return `${name}: ${formatValue(value)}${gap}${unit}${goalText}${verdict}`;
}

/** The largest heapUsed seen while sampling, every millisecond the event loop allows. */
export class HeapPeak {
  max = 0;
  private current = 0;
  private timer: NodeJS.Timeout | undefined;

  start(): number {
    const base = process.memoryUsage().heapUsed;
    this.current = base;
    this.timer = setInterval(() => this.sample(), 1);
    return base;
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.current;
  }

  private sample(): void {
    const used = process.memoryUsage().heapUsed;
    this.current = Math.max(this.current, used);
    this.max = Math.max(this.max, used);
  }
}
