// A consumer is stalled when messages wait for it and its ack floor has not moved for a while: its subscribers are
// gone, stuck or failing every message.

export interface ConsumerReading {
  /** Milliseconds since the epoch. */
  t: number;
  /** Not yet delivered (num_pending). */
  pending: number;
  /** Delivered, not yet acknowledged. */
  ackPending: number;
  /** The ack floor's stream sequence. */
  ackFloor: number;
  /** The consumer's creation time: one made again is a new consumer. */
  epoch?: string;
}

export interface StallState {
  stalled: boolean;
  /** Since when the ack floor has stood still with messages waiting (ms), when it has. */
  since?: number;
  /** Messages waiting (pending + ack pending) at the last reading. */
  waiting: number;
}

/** Whether the last readings (oldest first) show a stall of at least `stallMs`. */
export function stallState(readings: readonly ConsumerReading[], stallMs: number): StallState {
  const last = readings[readings.length - 1];
  if (!last) return { stalled: false, waiting: 0 };
  const waiting = last.pending + last.ackPending;
  if (waiting <= 0) return { stalled: false, waiting };
  let since = last.t;
  for (let i = readings.length - 2; i >= 0; i--) {
    const r = readings[i]!;
    if ((r.epoch ?? '') !== (last.epoch ?? '') || r.ackFloor !== last.ackFloor || r.pending + r.ackPending <= 0) break;
    since = r.t;
  }
  return { stalled: last.t - since >= stallMs, since, waiting };
}
