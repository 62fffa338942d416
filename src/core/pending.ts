// A count of work scheduled or running, and a promise for the moment it is none: the "idle" signal services give tests
// (a negative check waits for it, not for a number of milliseconds).

export class Pending {
  private count = 0;
  private waiters: (() => void)[] = [];

  /** One more piece of work: scheduled (a debounce timer) or running (an update). */
  start(): void {
    this.count++;
  }

  /** One piece done or cancelled; the last one resolves every idle() waiting. */
  end(): void {
    if (this.count > 0) this.count--;
    if (this.count === 0) for (const resolve of this.waiters.splice(0)) resolve();
  }

  get busy(): boolean {
    return this.count > 0;
  }

  /** Resolves when nothing is scheduled or running: at once if so now. */
  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise(resolve => this.waiters.push(resolve));
  }
}

/**
 * Debounced runs by key (a document): a newer schedule replaces the one waiting; each counts as `work` from being
 * scheduled until it has run or was cancelled, so `work.idle()` means nothing is waiting or running.
 */
export class KeyedDebounce {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly work: Pending) {}

  schedule(key: string, delayMs: number, run: () => Promise<void>): void {
    this.cancel(key);
    this.work.start();
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void run().finally(() => this.work.end());
    }, delayMs));
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(key);
    this.work.end();
  }

  cancelAll(): void {
    for (const key of [...this.timers.keys()]) this.cancel(key);
  }
}

export interface Idles {
  idle(): Promise<void>;
  readonly busy: boolean;
}

/** Resolves once every one of `services` is idle at the same moment (one's update may schedule another's). */
export async function allIdle(services: readonly Idles[]): Promise<void> {
  do await Promise.all(services.map(s => s.idle()));
  while (services.some(s => s.busy));
}
