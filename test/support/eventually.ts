// The one way a test waits: poll until something holds, and fail with what was last seen. No vscode here, so every
// suite (plain Node and in-host) can use it.
import { inspect } from 'node:util';

export interface EventuallyOptions {
  /** How long to keep trying (default 20 s). */
  timeoutMs?: number;
  /** The pause between two tries (default 50 ms). */
  intervalMs?: number;
}

/** What `probe` may return: a truthy value ends the wait; undefined, null, false, 0 and '' mean "not yet". */
type Probe<T> = () => T | undefined | null | false | Promise<T | undefined | null | false>;

type Last = { value: unknown } | { error: unknown };

/**
 * Calls `probe` until it returns a truthy value (which it returns) without throwing; a throw counts as "not yet",
 * so a block of `assert.*` calls ending in `return true` waits until it passes. After `timeoutMs` it fails with
 * `what` and the last value or error, e.g.
 * "gave up after 20 s waiting for the tail's consumer to go (400 tries); last value: [ 'cim_nats_tail_1' ]".
 * A number instead of options is the timeout in ms (as the older `waitFor(what, get, ms)` took it).
 */
export async function eventually<T>(what: string, probe: Probe<T>, options: EventuallyOptions | number = {}): Promise<T> {
  const { timeoutMs = 20_000, intervalMs = 50 } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  const gaveUp = (detail: string) => new Error(`gave up after ${seconds(timeoutMs)} waiting for ${what}${detail}`);
  let last: Last = { value: undefined };
  for (let tries = 1; ; tries++) {
    const outcome = await attempt(probe, deadline + 1_000);
    // A try that hangs past the deadline (a request with no timeout) fails the wait, not the mocha timeout.
    if (outcome === 'hung') throw gaveUp(`: try ${tries} never answered; ${lastSeen(last)}`);
    if ('value' in outcome && outcome.value) return outcome.value as T;
    last = outcome;
    if (Date.now() >= deadline) throw gaveUp(` (${tries} tries); ${lastSeen(last)}`);
    await new Promise(resolve => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}

async function attempt<T>(probe: Probe<T>, hungAt: number): Promise<Last | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>(resolve => (timer = setTimeout(resolve, Math.max(0, hungAt - Date.now()), 'hung')));
  const tried = (async (): Promise<Last> => {
    try {
      return { value: await probe() };
    } catch (error) {
      return { error };
    }
  })();
  try {
    return await Promise.race([tried, hung]);
  } finally {
    clearTimeout(timer);
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function lastSeen(last: Last): string {
  if ('error' in last) return `last error: ${last.error instanceof Error ? last.error.message : inspect(last.error)}`;
  return `last value: ${inspect(last.value, { depth: 3, breakLength: Infinity, maxStringLength: 500, maxArrayLength: 20 })}`;
}
