// Where a time falls in a stream: stored times only grow with the sequence, so halving with message gets finds it
// in O(log n) requests, no consumer. Reads, scans and traces turn time bounds into sequence bounds with it.
import type { JetStreamManager, StoredMsg } from '@nats-io/jetstream';

/** The first message at or after `seq` (any subject), or null past the end. */
export function nextMessage(jsm: JetStreamManager, stream: string, seq: number, subject = '>'): Promise<StoredMsg | null> {
  // The client types only seq/last_by_subj; nats-server 2.9.10 and 2.15.1 both answer next_by_subj.
  return jsm.streams.getMessage(stream, { seq, next_by_subj: subject } as unknown as { seq: number });
}

/**
 * The first sequence in [first, last] whose message was stored at or after `t`; last + 1 when none was. Stored times
 * grow with the sequence and mostly evenly, so a guess by the times at both ends lands close; a guess that did not at
 * least halve the range is followed by a halving: a few gets for an even stream, O(log n) at worst.
 */
export async function firstSeqAtOrAfter(
  jsm: JetStreamManager,
  stream: string,
  bounds: { first: number; last: number },
  t: Date,
  signal?: AbortSignal,
  /** The stored times of the messages at `first` and `last` when known (a stream's info has them): no get for them. */
  known: { first?: Date; last?: Date } = {},
): Promise<number> {
  const target = t.getTime();
  const at = async (seq: number): Promise<{ seq: number; time: number } | undefined> => {
    signal?.throwIfAborted();
    const m = await abortable(nextMessage(jsm, stream, seq), signal);
    return m && m.seq <= bounds.last ? { seq: m.seq, time: m.time.getTime() } : undefined;
  };
  if (bounds.first > bounds.last) return bounds.last + 1;
  const [head, tail] = await Promise.all([
    known.first ? { seq: bounds.first, time: known.first.getTime() } : at(bounds.first),
    known.last ? { seq: bounds.last, time: known.last.getTime() } : at(bounds.last),
  ]);
  if (!head || head.time >= target) return head ? head.seq : bounds.last + 1;
  if (!tail || tail.time < target) return bounds.last + 1;
  // the answer lies in (low.seq, high.seq]
  let low = head;
  let high = tail;
  let halve = false;
  while (high.seq - low.seq > 1) {
    const width = high.seq - low.seq;
    const guess = halve || high.time <= low.time
      ? low.seq + Math.floor(width / 2)
      : low.seq + Math.round((width * (target - low.time)) / (high.time - low.time));
    const probe = Math.min(high.seq - 1, Math.max(low.seq + 1, guess));
    const m = await at(probe);
    if (!m || m.seq >= high.seq) high = { seq: probe, time: high.time };
    else if (m.time >= target) high = m;
    else low = m;
    halve = high.seq - low.seq > width / 2;
  }
  return high.seq;
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
