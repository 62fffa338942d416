// Purge variants, counting, consumers created, edited, paused — on a real nats-server, each refusal a sentence.
import assert from 'node:assert/strict';
import { versionAtLeast } from '../../src/nats/explorer/jsApi';
import { useNatsServer } from '../support/natsFixture';
import { consumerDraftProblems, countMatching, createConsumer, purgeFilterProblem, purgeStream, setConsumerPaused, updateConsumer } from '../../src/nats/streams/ops';

describe('stream operations on nats-server', () => {
  const nats = useNatsServer({ perTest: true, session: true });
  const STREAM = 'OPS_EVENTS';

  beforeEach(async () => {
    const jsm = await nats.jsm();
    await jsm.streams.add({ name: STREAM, subjects: ['dev.domain.ops.>'] });
    const js = nats.session.jetstream();
    for (let i = 0; i < 6; i++) await js.publish(`dev.domain.ops.order.${i < 4 ? 'created' : 'shipped'}.${i}`, '{}');
  });

  it('counts the messages a filter matches and leaves no consumer behind', async () => {
    assert.equal(await countMatching(nats.session, STREAM, 'dev.domain.ops.order.created.*'), 4);
    assert.equal((await (await nats.jsm()).streams.info(STREAM)).state.consumer_count, 0);
  });

  it('purges by subject filter, then keeps the last N, then everything', async () => {
    assert.equal(await purgeStream(nats.session, STREAM, { filter: 'dev.domain.ops.order.shipped.>' }), 2);
    // after a filtered purge left a gap: 2.9.10's own `keep` would purge all four (measured), the product keeps one
    assert.equal(await purgeStream(nats.session, STREAM, { keep: 1 }), 3);
    const jsm = await nats.jsm();
    const { state } = await jsm.streams.info(STREAM);
    assert.deepEqual([state.messages, state.first_seq], [1, 4]);
    assert.equal(await purgeStream(nats.session, STREAM), 1);
    assert.equal((await jsm.streams.info(STREAM)).state.messages, 0);
  });

  it('purges no message stored after the sequence the user confirmed (everything, and by filter)', async () => {
    const js = nats.session.jetstream();
    // the user was shown seq 1–6; two more arrive before the purge runs
    await js.publish('dev.domain.ops.order.created.6', '{}');
    await js.publish('dev.domain.ops.order.shipped.7', '{}');
    assert.equal(await purgeStream(nats.session, STREAM, { filter: 'dev.domain.ops.order.shipped.>', upTo: 6 }), 2);
    assert.equal(await purgeStream(nats.session, STREAM, { upTo: 6 }), 4);
    const { state } = await (await nats.jsm()).streams.info(STREAM);
    assert.deepEqual([state.messages, state.first_seq, state.last_seq], [2, 7, 8]);
  });

  it('refuses a purge filter outside the stream\'s subjects before sending', () => {
    assert.equal(purgeFilterProblem('prod.domain.ops.>', ['dev.domain.ops.>']), '"prod.domain.ops.>" is not within the stream\'s subjects (dev.domain.ops.>): narrow it to a part of them.');
    assert.equal(purgeFilterProblem('dev.domain.ops.order.>', ['dev.domain.ops.>']), undefined);
  });

  it('refuses a consumer name the server would refuse, and a filter that could never match, before sending', () => {
    assert.deepEqual(consumerDraftProblems({ durable: 'order.projector', filter: 'prod.domain.ops.>', deliver: 'all', ack: 'explicit' }, ['dev.domain.ops.>']), [
      '"order.projector" cannot be a consumer name: it holds "." (names hold no whitespace, ".", "*", ">", "/" or "\\").',
      'The filter "prod.domain.ops.>" is not within the stream\'s subjects (dev.domain.ops.>): it could never match.',
    ]);
  });

  it('creates a consumer from a draft, delivering from a sequence, and edits its mutable fields', async () => {
    const info = await createConsumer(nats.session, STREAM, { durable: 'projector', filter: 'dev.domain.ops.order.>', deliver: 'by_start_sequence', startSeq: 3, ack: 'explicit', maxDeliver: 5, ackWaitSeconds: 10 }, ['dev.domain.ops.>']);
    assert.deepEqual([info.num_pending, info.config.max_deliver, info.config.ack_wait, info.config.opt_start_seq], [4, 5, 10e9, 3]);
    const edited = await updateConsumer(nats.session, STREAM, 'projector', { maxDeliver: 9, description: 'projects orders' });
    assert.deepEqual([edited.config.max_deliver, edited.config.description], [9, 'projects orders']);
  });

  it('pauses and resumes a consumer on 2.11+, and says which version is needed on older servers', async () => {
    await createConsumer(nats.session, STREAM, { durable: 'p', deliver: 'all', ack: 'explicit' }, []);
    if (versionAtLeast(nats.session.nc.info?.version, 2, 11)) {
      assert.equal((await setConsumerPaused(nats.session, STREAM, 'p', true)).paused, true);
      assert.equal((await setConsumerPaused(nats.session, STREAM, 'p', false)).paused, false);
    } else {
      await assert.rejects(setConsumerPaused(nats.session, STREAM, 'p', true), /^NatsUserError: Pausing a consumer needs nats-server 2\.11 or newer; nats:\/\/127\.0\.0\.1:\d+ runs 2\.\d+\.\d+: stop its clients instead, or upgrade the server\.$/);
    }
  });
});
