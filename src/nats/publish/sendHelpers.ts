// What the playbook runner's sends share: the connection's state, the errors the client nests, headers, sleeping.
import { PermissionViolationError, TimeoutError, type MsgHdrs } from '@nats-io/transport-node';
import type { NatsSession } from '../connection/connect';

/** `NATS/1.0\r\n` before the headers and `\r\n` after them. */
const HEADER_FRAME_BYTES = 12;

/** Connected right now: the client's own flag, since a publish made while it is down is silently dropped. */
export function isConnected(session: NatsSession): boolean {
  const nc = session.nc;
  if (nc.isClosed()) return false;
  const connected = (nc as unknown as { protocol?: { connected?: unknown } }).protocol?.connected;
  return typeof connected === 'boolean' ? connected : true;
}

/**
 * Calls `start` with short stack traces. The client builds a RequestError and a TimeoutError for every request, in
 * case it fails, and V8 walks the whole (async) stack for each: from the runner's depth that was a third of a
 * publish's CPU. Their traces show only client internals, and failures reach the user as sentences anyway.
 */
export function shallowStacks<T>(start: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 2;
  try {
    return start();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export function nothingStores(subject: string, why?: string): string {
  return `Nothing stores it: no stream captures "${subject}"${why ? ` (${why})` : ''}, so it went out on core NATS to whoever listens right now.`;
}

export function headerBytes(list: readonly { name: string; value: string }[], msgID: string | undefined): number {
  if (!list.length && !msgID) return 0;
  let n = HEADER_FRAME_BYTES;
  for (const { name, value } of list) n += Buffer.byteLength(name) + Buffer.byteLength(value) + 4;
  if (msgID) n += 'Nats-Msg-Id'.length + Buffer.byteLength(msgID) + 4;
  return n;
}

export function headersOf(h: MsgHdrs | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!h) return out;
  for (const k of h.keys()) out[k] = h.values(k);
  return out;
}

export function violationOf(e: unknown): { operation: 'publish' | 'subscription'; subject: string } | undefined {
  for (let x: unknown = e; x instanceof Error; x = x.cause) {
    if (x instanceof PermissionViolationError) return x;
    const parsed = PermissionViolationError.parse(x.message);
    if (parsed) return parsed;
  }
  return undefined;
}

export function isTimeout(e: unknown): boolean {
  for (let x: unknown = e; x instanceof Error; x = x.cause) if (x instanceof TimeoutError || x.name === 'TimeoutError') return true;
  return false;
}

export function isDisconnect(e: unknown): boolean {
  for (let x: unknown = e; x instanceof Error; x = x.cause) if (/connection (disconnected|closed)/i.test(x.message)) return true;
  return false;
}

export function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
