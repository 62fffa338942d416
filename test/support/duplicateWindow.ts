// Waiting for a stream's duplicate window to forget the message ids it holds, asked of the server rather than slept.
import { StorageType } from '@nats-io/jetstream';
import type { NatsSession } from '../../src/nats/connection/connect';
import { eventually } from './eventually';

let witnesses = 0;

/**
 * Resolves once `stream`'s duplicate window has forgotten every message id stored in it so far. The server forgets
 * ids on a timer, each one window after it was stored, and tells no one; so a witness stream with the same window
 * gets an id now, and once the witness takes that id again as new, every id `stream` held before now is forgotten.
 */
export async function duplicateWindowPassed(session: NatsSession, stream: string): Promise<void> {
  const jsm = await session.jetstreamManager();
  const windowNs = (await jsm.streams.info(stream)).config.duplicate_window ?? 0;
  const name = `WITNESS_${process.pid}_${++witnesses}`;
  const subject = `cim-test-witness.${process.pid}.${witnesses}`;
  await jsm.streams.add({ name, subjects: [subject], duplicate_window: windowNs, storage: StorageType.Memory });
  try {
    const js = session.jetstream();
    await js.publish(subject, '', { msgID: 'witness' });
    await eventually(`the ${windowNs / 1e9}s duplicate window of ${stream} to pass`, async () => !(await js.publish(subject, '', { msgID: 'witness' })).duplicate,
      { timeoutMs: windowNs / 1e6 + 20_000, intervalMs: 100 });
  } finally {
    await jsm.streams.delete(name);
  }
}
