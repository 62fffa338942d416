// Waiting for a stream's duplicate window to forget the message ids it holds, asked of the server rather than slept.
import { StorageType } from '@nats-io/jetstream';
import type { NatsSession } from '../../src/nats/connection/connect';
import { eventually } from './eventually';

let witnesses = 0;

/**
 * Resolves once `stream`'s duplicate window has forgotten every message id stored in it so far. The server forgets
 * ids on a timer and tells no one: the timer fires one window after the oldest id it holds, or at least 50 ms after
 * its last firing, so an id is forgotten at the latest 50 ms after its window ended. A witness stream with the same
 * window gets two ids now, one after the other: its timer forgets the first when its window ends and the second no
 * sooner than 50 ms later; once the witness takes the second again as new, every id `stream` held before the witness
 * got its first is forgotten too (a single id could be forgotten up to 50 ms before them).
 */
export async function duplicateWindowPassed(session: NatsSession, stream: string): Promise<void> {
  const jsm = await session.jetstreamManager();
  const windowNs = (await jsm.streams.info(stream)).config.duplicate_window ?? 0;
  const name = `WITNESS_${process.pid}_${++witnesses}`;
  const subject = `cim-test-witness.${process.pid}.${witnesses}`;
  await jsm.streams.add({ name, subjects: [subject], duplicate_window: windowNs, storage: StorageType.Memory });
  try {
    const js = session.jetstream();
    await js.publish(subject, '', { msgID: 'witness-1' });
    await js.publish(subject, '', { msgID: 'witness-2' });
    await eventually(`the ${windowNs / 1e9}s duplicate window of ${stream} to pass`, async () => !(await js.publish(subject, '', { msgID: 'witness-2' })).duplicate,
      { timeoutMs: windowNs / 1e6 + 20_000, intervalMs: 100 });
  } finally {
    await jsm.streams.delete(name);
  }
}
