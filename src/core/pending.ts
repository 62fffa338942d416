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

export interface Idles {
  idle(): Promise<void>;
  readonly busy: boolean;
}

/** Resolves once every one of `services` is idle at the same moment (one's update may schedule another's). */
export async function allIdle(services: readonly Idles[]): Promise<void> {
  do await Promise.all(services.map(s => s.idle()));
  while (services.some(s => s.busy));
}
