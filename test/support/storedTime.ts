// A point in time between the messages a stream holds and the ones published next, asked of the server rather than
// made by sleeping on both sides of `new Date()`.
import type { JetStreamManager } from '@nats-io/jetstream';
import { eventually } from './eventually';

/**
 * A time after the newest message `stream` holds (its stored timestamp, read back), which the clock has already
 * passed when this resolves: every message stored so far is before it, every one published afterwards at or after it.
 * The server runs on this machine, so it stamps messages with the clock the test reads.
 */
export async function timeAfterStored(jsm: JetStreamManager, stream: string): Promise<Date> {
  const { state } = await jsm.streams.info(stream);
  if (state.messages === 0) throw new Error(`timeAfterStored: stream ${stream} holds no message to be after.`);
  const newest = await jsm.streams.getMessage(stream, { seq: state.last_seq });
  if (!newest) throw new Error(`timeAfterStored: stream ${stream} no longer holds its last message (sequence ${state.last_seq}).`);
  // The stored time has nanoseconds; a Date keeps whole milliseconds (cut, not rounded): one more is strictly after.
  const split = new Date(newest.time.getTime() + 1);
  await eventually(`the clock to pass ${split.toISOString()}, just after the last message of ${stream}`, () => Date.now() > split.getTime(), { intervalMs: 1 });
  return split;
}
