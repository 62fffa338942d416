// Bounded history of sampled figures. All series of one poller share one timeline: a fine ring (the last few minutes,
// one slot per sample) and a coarse ring (the last hour, one slot per bucket of samples). A series is only its values
// in those slots, so memory stays flat however long it polls (bench/health.bench.ts measures it).

/** One sampled value; `v` null is a gap (no reading, or a counter reset that makes a rate meaningless). */
export interface Point {
  /** Milliseconds since the epoch. */
  t: number;
  v: number | null;
}

export interface SeriesOptions {
  /** Slots kept one per sample (default 150: five minutes at 2 s). */
  fine?: number;
  /** Samples folded into one coarse slot (default 15: 30 s at 2 s). */
  bucket?: number;
  /** Coarse slots kept (default 120: one hour of 30 s buckets). */
  coarse?: number;
}

interface Values {
  fine: Float64Array;
  /** Bucket means; single precision is plenty for a chart of an hour. */
  coarse: Float32Array;
  sum: number;
  count: number;
  /** Whether the current sample wrote this series. */
  written: boolean;
}

/** Series by key on one timeline; a series is made on its first value and dropped when its subject goes away. */
export class SeriesSet {
  readonly fineCapacity: number;
  readonly coarseCapacity: number;
  readonly bucket: number;
  private readonly fineTimes: Float64Array;
  private readonly coarseTimes: Float64Array;
  /** Samples and buckets taken so far: slot = count % capacity. */
  private fineCount = 0;
  private coarseCount = 0;
  private bucketSamples = 0;
  private bucketStart = 0;
  private open = false;
  private readonly series = new Map<string, Values>();

  constructor(options: SeriesOptions = {}) {
    this.fineCapacity = positive(options.fine ?? 150, 'fine');
    this.coarseCapacity = positive(options.coarse ?? 120, 'coarse');
    this.bucket = positive(options.bucket ?? 15, 'bucket');
    this.fineTimes = new Float64Array(this.fineCapacity);
    this.coarseTimes = new Float64Array(this.coarseCapacity);
  }

  /** Starts a sample at time `t`; `put` its values, then `end` it (series not put get a gap). */
  begin(t: number): void {
    if (this.open) this.end();
    this.open = true;
    this.fineTimes[this.fineCount % this.fineCapacity] = t;
    if (this.bucketSamples === 0) this.bucketStart = t;
    for (const s of this.series.values()) s.written = false;
  }

  put(key: string, v: number | null): void {
    if (!this.open) throw new Error('put outside a sample: call begin(t) first');
    let s = this.series.get(key);
    if (!s) {
      // a series that never had a value costs nothing
      if (v === null || !Number.isFinite(v)) return;
      // one buffer for both rings: a thousand consumers' series cost one allocation each, not two
      const buffer = new ArrayBuffer(this.fineCapacity * 8 + this.coarseCapacity * 4);
      const fine = new Float64Array(buffer, 0, this.fineCapacity).fill(Number.NaN);
      const coarse = new Float32Array(buffer, this.fineCapacity * 8, this.coarseCapacity).fill(Number.NaN);
      s = { fine, coarse, sum: 0, count: 0, written: false };
      this.series.set(key, s);
    }
    const value = v === null || !Number.isFinite(v) ? Number.NaN : v;
    s.fine[this.fineCount % this.fineCapacity] = value;
    s.written = true;
    if (!Number.isNaN(value)) {
      s.sum += value;
      s.count++;
    }
  }

  end(): void {
    if (!this.open) return;
    this.open = false;
    const slot = this.fineCount % this.fineCapacity;
    for (const s of this.series.values()) if (!s.written) s.fine[slot] = Number.NaN;
    this.fineCount++;
    if (++this.bucketSamples < this.bucket) return;
    const cslot = this.coarseCount % this.coarseCapacity;
    this.coarseTimes[cslot] = this.bucketStart;
    for (const s of this.series.values()) {
      // a bucket of gaps stays a gap
      s.coarse[cslot] = s.count > 0 ? s.sum / s.count : Number.NaN;
      s.sum = 0;
      s.count = 0;
    }
    this.coarseCount++;
    this.bucketSamples = 0;
  }

  /** One sample's values at once. */
  sample(t: number, values: Iterable<[string, number | null]>): void {
    this.begin(t);
    for (const [k, v] of values) this.put(k, v);
    this.end();
  }

  has(key: string): boolean {
    return this.series.has(key);
  }

  keys(): string[] {
    return [...this.series.keys()];
  }

  get size(): number {
    return this.series.size;
  }

  /** Samples taken (the fine ring holds the last `fineCapacity` of them). */
  get samples(): number {
    return this.fineCount;
  }

  /** Drops every series whose key starts with `prefix`. */
  drop(prefix: string): void {
    for (const k of [...this.series.keys()]) if (k.startsWith(prefix)) this.series.delete(k);
  }

  /** The last value (null for a gap or an unknown key). */
  last(key: string): Point | undefined {
    if (this.fineCount === 0) return undefined;
    const slot = (this.fineCount - 1) % this.fineCapacity;
    const v = this.series.get(key)?.fine[slot];
    return { t: this.fineTimes[slot]!, v: v === undefined || Number.isNaN(v) ? null : v };
  }

  /** The fine points of a series, oldest first: the last `n` samples (default all held). */
  fine(key: string, n = this.fineCapacity): Point[] {
    const s = this.series.get(key);
    const held = Math.min(this.fineCount, this.fineCapacity, n);
    const out: Point[] = [];
    for (let k = this.fineCount - held; k < this.fineCount; k++) {
      const slot = k % this.fineCapacity;
      const v = s ? s.fine[slot]! : Number.NaN;
      out.push({ t: this.fineTimes[slot]!, v: Number.isNaN(v) ? null : v });
    }
    return out;
  }

  /** The coarse points (bucket means), oldest first. */
  coarse(key: string): Point[] {
    const s = this.series.get(key);
    const held = Math.min(this.coarseCount, this.coarseCapacity);
    const out: Point[] = [];
    for (let k = this.coarseCount - held; k < this.coarseCount; k++) {
      const slot = k % this.coarseCapacity;
      const v = s ? s.coarse[slot]! : Number.NaN;
      out.push({ t: this.coarseTimes[slot]!, v: Number.isNaN(v) ? null : v });
    }
    return out;
  }

  /**
   * The points of the last `rangeMs` before `now`: the fine ring where it reaches, the coarse ring before that
   * (an hour's chart is the last minutes sample by sample and bucket means before them).
   */
  range(key: string, rangeMs: number, now: number): Point[] {
    const since = now - rangeMs;
    const fine = this.fine(key);
    const first = fine[0];
    if (!first || first.t <= since) return fine.filter(p => p.t >= since);
    return [...this.coarse(key).filter(p => p.t >= since && p.t < first.t), ...fine];
  }
}

function positive(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a whole number above 0, not ${n}`);
  return n;
}
