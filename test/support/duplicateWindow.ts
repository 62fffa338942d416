// Waiting for a stream's duplicate window to forget the message ids it holds, asked of the stream itself rather than
// slept: a publish it cannot store tells whether it still remembers an id.
import { headers } from '@nats-io/transport-node';
import type { NatsSession } from '../../src/nats/connection/connect';
import { eventually } from './eventually';

/**
 * Resolves once `stream`'s duplicate window has forgotten every one of `ids`. The server forgets ids on a timer of
 * each stream's own, some time after the window ended (over 100 ms seen), and tells no one; so each id is asked of
 * the stream: a publish with that id and a `Nats-Rollup` header the stream refuses. A stream answers an id it still
 * remembers as a duplicate before it looks at that header (nats-server 2.9 and 2.15 alike; the `Nats-Expected-*`
 * headers come first on 2.15), and refuses one it forgot for the rollup: it stores nothing either way. A stream that
 * allows rollups is not asked (it could store the probe).
 */
export async function duplicateWindowPassed(session: NatsSession, stream: string, ids: readonly string[]): Promise<void> {
  const jsm = await session.jetstreamManager();
  const { config } = await jsm.streams.info(stream);
  if (config.allow_rollup_hdrs) throw new Error(`duplicateWindowPassed: ${stream} allows rollups, so a probe could be stored: ask it with another stream.`);
  const subject = config.subjects?.[0]?.replace(/\*/g, 'x').replace(/>$/, 'x');
  if (!subject) throw new Error(`duplicateWindowPassed: ${stream} has no subjects to publish a probe to.`);
  const js = session.jetstream();
  const refused = headers();
  refused.set('Nats-Rollup', 'sub');
  let stored: Error | undefined;
  /** Whether `stream` still takes `id` as a duplicate; any failure but the refused rollup is tried again. */
  const remembers = (id: string) => js.publish(subject, new Uint8Array(0), { msgID: id, headers: refused }).then(
    ack => {
      if (!ack.duplicate) stored ??= new Error(`duplicateWindowPassed: ${stream} stored the probe for ${id} at seq ${ack.seq} instead of refusing its rollup header.`);
      return ack.duplicate;
    },
    (e: Error) => (/rollup not permitted/.test(e.message) ? false : Promise.reject(e)),
  );
  let left = [...ids];
  const windowNs = config.duplicate_window ?? 0;
  await eventually(`the ${windowNs / 1e9}s duplicate window of ${stream} to forget ${ids.join(', ')}`, async () => {
    const still = await Promise.all(left.map(remembers));
    left = left.filter((_, i) => still[i]);
    return left.length === 0;
  }, { timeoutMs: windowNs / 1e6 + 20_000, intervalMs: 20 });
  if (stored) throw stored;
}
