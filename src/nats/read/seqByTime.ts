// Where a time falls in a stream: stored times only grow with the sequence, so halving with message gets finds it
// in O(log n) requests, no consumer. Reads, scans and traces turn time bounds into sequence bounds with it.
import type { JetStreamManager, StoredMsg } from '@nats-io/jetstream';

/** The first message at or after `seq` (any subject), or null past the end. */
export function nextMessage(jsm: JetStreamManager, stream: string, seq: number, subject = '>'): Promise<StoredMsg | null> {
  // The client types only seq/last_by_subj; nats-server 2.9.10 and 2.15.1 both answer next_by_subj.
  return jsm.streams.getMessage(stream, { seq, next_by_subj: subject } as unknown as { seq: number });
}

/** The first sequence in [first, last] whose message was stored at or after `t`; last + 1 when none was. */
export async function firstSeqAtOrAfter(
  jsm: JetStreamManager,
  stream: string,
  bounds: { first: number; last: number },
  t: Date,
  signal?: AbortSignal,
): Promise<number> {
  let lo = bounds.first;
  let hi = bounds.last + 1;
  while (lo < hi) {
    signal?.throwIfAborted();
    const mid = Math.floor((lo + hi) / 2);
    const m = await abortable(nextMessage(jsm, stream, mid), signal);
    if (!m || m.seq > bounds.last || m.time.getTime() >= t.getTime()) hi = mid;
    else lo = m.seq + 1;
  }
  return lo;
}

/** Rejects as soon as the signal aborts; the request itself runs on (a get changes nothing). */
export function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
