// What a prompt names is read from the server at that moment: one stream's or one consumer's figures now, and
// "gone" (not an error) for a stream or consumer that no longer exists.
import assert from 'node:assert/strict';
import { AckPolicy } from '@nats-io/jetstream';
import { consumerNow, streamNow, streamsNow } from '../../src/nats/explorer/freshInfo';
import { useNatsServer } from '../support/natsFixture';

describe('fresh stream and consumer figures', () => {
  const nats = useNatsServer({ session: true });

  it('reads a stream\'s and a consumer\'s counts as they are now, after messages arrived', async () => {
    const jsm = await nats.jsm();
    await jsm.streams.add({ name: 'FRESH', subjects: ['fresh.>'] });
    await jsm.consumers.add('FRESH', { durable_name: 'reader', ack_policy: AckPolicy.Explicit });
    const js = nats.session.jetstream();
    assert.equal((await streamNow(nats.session, 'FRESH'))?.messages, 0);
    for (let i = 0; i < 3; i++) await js.publish(`fresh.${i}`, 'x');
    const stream = await streamNow(nats.session, 'FRESH');
    assert.deepEqual([stream?.messages, stream?.firstSeq, stream?.lastSeq, stream?.consumerCount], [3, 1, 3, 1]);
    assert.equal((await consumerNow(nats.session, 'FRESH', 'reader'))?.pending, 3);
  });

  it('says a stream or consumer that does not exist is gone, without an error', async () => {
    assert.equal(await streamNow(nats.session, 'NO_SUCH_STREAM'), undefined);
    assert.equal(await consumerNow(nats.session, 'FRESH', 'no-such-consumer'), undefined);
    assert.equal(await consumerNow(nats.session, 'NO_SUCH_STREAM', 'reader'), undefined);
    const { streams, gone } = await streamsNow(nats.session, ['FRESH', 'NO_SUCH_STREAM']);
    assert.deepEqual([streams.map(s => s.name), gone], [['FRESH'], ['NO_SUCH_STREAM']]);
  });
});
