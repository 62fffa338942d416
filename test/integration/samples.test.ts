// Sample CIM messages on a real nats-server: each lands in the stream the algebra names, and a retry is a duplicate.
import assert from 'node:assert/strict';
import { preset } from '../../src/core/algebra/compiled';
import { streamFor } from '../../src/core/algebra/describe';
import { parseDomainDefinition } from '../../src/core/domain/parseDefinition';
import { parseSubject } from '../../src/core/subject/parse';
import { cimSampleMessages, publishSamples } from '../../src/nats/publish/samples';
import { cimStreamConfigs, ensureStreams } from '../../src/nats/streams/cimStreams';
import { useNatsServer } from '../support/natsFixture';

const DEFINITION = `
domain:
  name: example-business
  bounded_context: sales
events:
  - id: E004
    name: OrderPlaced
    aggregate: Order
    data:
      - order_id: UUID
      - total_amount: Money
`;

describe('sample CIM messages through JetStream', () => {
  const algebra = preset('cim-start');
  const domains = ['sales', 'inventory', 'customer'];
  const nats = useNatsServer({ perTest: true, session: true });

  beforeEach(async () => {
    await ensureStreams(await nats.jsm(), cimStreamConfigs(algebra, { domains, environment: 'dev', scope: 'environment' }));
  });

  it('lands every sample in the stream the algebra names, with the event id as Nats-Msg-Id', async () => {
    const { definition } = parseDomainDefinition(DEFINITION);
    const messages = cimSampleMessages(algebra, { environment: 'dev', domains, definitions: definition ? [definition] : [] });
    const results = await publishSamples(nats.session.jetstream(), messages);

    assert.deepEqual(results.map(r => r.reason), messages.map(() => undefined));
    for (const [i, m] of messages.entries()) {
      const parsed = parseSubject(algebra, m.subject);
      assert.equal(results[i]!.stream, streamFor(parsed.category!, parsed.values)!.name, m.subject);
    }
    assert.ok(messages.some(m => m.subject.startsWith('dev.domain.sales.order.placed.')), 'the definition\'s OrderPlaced event is among the samples');
    assert.deepEqual(new Set(messages.map(m => m.subject.split('.')[1])), new Set(['domain', 'command', 'projection', 'saga', 'snapshot']));

    const jsm = await nats.session.jetstreamManager();
    const created = messages.find(m => m.subject.startsWith('dev.domain.sales.order.created.'))!;
    const stored = await jsm.streams.getMessage('DOMAIN_SALES_EVENTS', { last_by_subj: created.subject });
    const body = stored!.json<{ event_id: string; event_type: string; domain: string }>();
    assert.equal(body.event_id, created.subject.split('.').at(-1));
    assert.equal(body.event_type, 'OrderCreated');
    assert.equal(body.domain, 'sales');
    assert.equal(stored!.header.get('Nats-Msg-Id'), body.event_id);
    assert.equal(stored!.header.get('X-Correlation-ID'), body.event_id);
  });

  it('reports a republished sample as a duplicate and stores nothing new', async () => {
    const messages = cimSampleMessages(algebra, { environment: 'dev', domains: ['customer'] });
    const js = nats.session.jetstream();
    const first = await publishSamples(js, messages);
    const again = await publishSamples(js, messages);
    assert.deepEqual(first.map(r => r.duplicate), messages.map(() => false));
    assert.deepEqual(again.map(r => r.duplicate), messages.map(() => true));
    // The commands stream keeps messages only while consumers are interested: its duplicate ack carries no sequence.
    const stored = (rs: typeof first) => rs.filter(r => !r.subject.startsWith('dev.command.')).map(r => r.seq);
    assert.deepEqual(stored(again), stored(first));
    const jsm = await nats.session.jetstreamManager();
    assert.equal((await jsm.streams.info('DOMAIN_CUSTOMER_EVENTS')).state.messages, 1);
  });

  it('reports a sample no stream stores and publishes the rest', async () => {
    const messages = cimSampleMessages(algebra, { environment: 'dev', domains: ['shipping', 'customer'] });
    const results = await publishSamples(nats.session.jetstream(), messages, { describe: nats.session.describe });
    const lost = results.filter(r => r.reason);
    assert.ok(lost.length > 0);
    for (const r of lost) {
      assert.match(r.subject, /^dev\.(domain|command|snapshot)\.shipping\./);
      assert.equal(r.reason, `No JetStream stream on ${nats.url} stores "${r.subject}": create the stream for it first (or enable JetStream on the server).`);
    }
    assert.ok(results.some(r => r.stream === 'DOMAIN_CUSTOMER_EVENTS'));
  });
});

describe('sample CIM messages for the chosen domains', () => {
  const algebra = preset('cim-start');

  it('takes events only from the definitions of the domains chosen', () => {
    const { definition: sales } = parseDomainDefinition(DEFINITION);
    const { definition: billing } = parseDomainDefinition(DEFINITION.replace('bounded_context: sales', 'bounded_context: billing').replace('OrderPlaced', 'InvoiceRaised').replace('Order', 'Invoice'));
    const messages = cimSampleMessages(algebra, { environment: 'dev', domains: ['sales'], definitions: [sales!, billing!] });
    const domains = new Set(messages.flatMap(m => (m.subject.split('.')[1] === 'domain' ? [m.subject.split('.')[2]] : [])));
    assert.deepEqual([...domains], ['sales']);
    assert.ok(messages.some(m => m.subject.startsWith('dev.domain.sales.order.placed.')), 'the chosen domain\'s definition still contributes its events');
  });
});
