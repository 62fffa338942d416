// Rates from the server's counters (last sequence, delivered and ack floor sequences), which only ever grow while
// their owner lives: a counter that went down, or an owner that is not the same one (a stream or consumer deleted and
// made again, a memory stream after a server restart), makes a gap, never a negative rate.

export interface CounterReading {
  /** Milliseconds since the epoch. */
  t: number;
  value: number;
  /**
   * What the counter belongs to: the stream's or consumer's creation time, the server's id. A different epoch is a
   * different counter, even when its value happens to be higher.
   */
  epoch?: string;
}

/** Per second between two readings of one counter; null when there is no rate to tell (first reading, reset, no time). */
export function counterRate(prev: CounterReading | undefined, cur: CounterReading): number | null {
  if (!prev) return null;
  if ((prev.epoch ?? '') !== (cur.epoch ?? '')) return null;
  const dt = cur.t - prev.t;
  const dv = cur.value - prev.value;
  if (!(dt > 0) || dv < 0 || !Number.isFinite(dv)) return null;
  return (dv * 1000) / dt;
}

export interface StreamCounters {
  t: number;
  /** state.last_seq: every message ever stored, purged or not. */
  lastSeq: number;
  /** state.messages. */
  messages: number;
  /** The stream's creation time (a stream made again starts over). */
  epoch?: string;
}

/** Messages stored per second (from last_seq, so a purge or an age limit does not lower it). */
export function inRate(prev: StreamCounters | undefined, cur: StreamCounters): number | null {
  return counterRate(prev && { t: prev.t, value: prev.lastSeq, epoch: prev.epoch ?? '' }, { t: cur.t, value: cur.lastSeq, epoch: cur.epoch ?? '' });
}

/**
 * Messages removed per second (limits, acks of a work queue or interest stream, deletes, purges): what came in minus
 * what the stored count grew by. A purge in the middle is a burst of removals, not a negative rate.
 */
export function removedRate(prev: StreamCounters | undefined, cur: StreamCounters): number | null {
  if (!prev || (prev.epoch ?? '') !== (cur.epoch ?? '')) return null;
  const dt = cur.t - prev.t;
  const added = cur.lastSeq - prev.lastSeq;
  if (!(dt > 0) || added < 0) return null;
  const removed = added - (cur.messages - prev.messages);
  // more stored than came in: the readings do not belong together (a restore, a reset between them)
  if (removed < 0) return null;
  return (removed * 1000) / dt;
}
