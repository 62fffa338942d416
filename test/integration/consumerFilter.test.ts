// A consumer filter reaching beyond its stream, on a real nats-server: what the server itself does with it (2.9
// refuses, 2.15 accepts a filter that sees no more than its meet), and that the meet the editor offers is accepted and
// sees the messages. Run on both servers (NATS_SERVER_BIN).
import assert from 'node:assert/strict';
import { meetWithin } from '../../src/core/pattern/lattice';
import { versionAtLeast } from '../../src/nats/explorer/jsApi';
import { consumerDraftProblems, createConsumer } from '../../src/nats/streams/ops';
import { useNatsServer } from '../support/natsFixture';

describe('consumer filters and their stream', () => {
  const nats = useNatsServer({ perTest: true, session: true });
  const STREAM = 'DOMAIN_SALES_EVENTS';
  const SUBJECTS = ['dev.domain.sales.>'];
  const GUIDE = '*.domain.sales.order.>';

  beforeEach(async () => {
    await (await nats.jsm()).streams.add({ name: STREAM, subjects: SUBJECTS });
    const js = nats.session.jetstream();
    for (const s of ['order.created.1', 'order.created.2', 'order.shipped.1', 'invoice.paid.1']) await js.publish(`dev.domain.sales.${s}`, '{}');
  });

  it('sees the server refuse the guide\'s filter before 2.10, and accept it yet deliver no more than the meet on 2.15', async () => {
    const jsm = await nats.jsm();
    const raw = jsm.consumers.add(STREAM, { durable_name: 'raw', filter_subject: GUIDE, ack_policy: 'explicit' as never });
    if (!versionAtLeast(nats.session.nc.info?.version, 2, 10)) {
      await assert.rejects(raw, /consumer filter subject is not a valid subset of the interest subjects/);
      return;
    }
    const info = await raw;
    assert.equal(info.num_pending, 3);
  });

  it('refuses the guide\'s filter with the meet, and creates the consumer on the meet, which sees its messages', async () => {
    const [problem] = consumerDraftProblems({ durable: 'orders', filter: GUIDE, deliver: 'all', ack: 'explicit' }, SUBJECTS);
    assert.match(problem!, /can only ever see dev\.domain\.sales\.order\.>\. Use that as the filter/);
    await assert.rejects(createConsumer(nats.session, STREAM, { durable: 'orders', filter: GUIDE, deliver: 'all', ack: 'explicit' }, SUBJECTS), /reaches beyond the stream's subjects/);
    const [meet] = meetWithin(GUIDE, SUBJECTS);
    const info = await createConsumer(nats.session, STREAM, { durable: 'orders', filter: meet!, deliver: 'all', ack: 'explicit', ackWaitSeconds: 30 }, SUBJECTS);
    assert.deepEqual([info.config.filter_subject, info.num_pending, info.config.ack_wait], ['dev.domain.sales.order.>', 3, 30e9]);
    const consumer = await nats.session.jetstream().consumers.get(STREAM, 'orders');
    const batch = await consumer.fetch({ max_messages: 3, expires: 5_000 });
    const subjects: string[] = [];
    for await (const m of batch) {
      subjects.push(m.subject);
      m.ack();
    }
    assert.deepEqual(subjects, ['dev.domain.sales.order.created.1', 'dev.domain.sales.order.created.2', 'dev.domain.sales.order.shipped.1']);
  });
});
