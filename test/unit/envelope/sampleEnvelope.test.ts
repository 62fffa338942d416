import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import {
  envelopeHeaders, sampleEnvelope, type CommandEnvelope, type DomainEventEnvelope, type MinimalEnvelope,
  type ProjectionEnvelope, type QueryEnvelope, type SagaEnvelope, type SnapshotEnvelope,
} from '../../../src/core/envelope';
import { exampleBusiness } from '../domain/fixtures';
import { NOW, NOW_ISO, id, numberedIds, subject } from './helpers';

const EVENT_ID = '550e8400-e29b-41d4-a716-446655440000';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function sample<T>(text: string, options: Parameters<typeof sampleEnvelope>[1] = {}, algebra?: 'cim-start' | 'cim-subject'): T {
  return sampleEnvelope(subject(text, algebra), { now: NOW, uuid: numberedIds(), ...options }) as T;
}

describe('sampleEnvelope', () => {
  const definition = exampleBusiness();

  describe('domain events (CIM-Start)', () => {
    it('fills every field CIM-Start publishes, with event_id from the subject', () => {
      const env = sample<DomainEventEnvelope>(`dev.domain.sales.order.created.${EVENT_ID}`);
      assert.deepEqual(env, {
        event_id: EVENT_ID,
        event_type: 'OrderCreated',
        aggregate_type: 'Order',
        aggregate_id: id(1),
        domain: 'sales',
        timestamp: NOW_ISO,
        version: 1,
        data: {},
        metadata: { correlation_id: EVENT_ID, causation_id: EVENT_ID, source: 'cim-nats' },
      });
      assert.deepEqual(Object.keys(env), ['event_id', 'event_type', 'aggregate_type', 'aggregate_id', 'domain', 'timestamp', 'version', 'data', 'metadata']);
    });

    it('names multi-word tokens in PascalCase', () => {
      const env = sample<DomainEventEnvelope>(`dev.domain.sales.shopping-cart.item-added.${EVENT_ID}`);
      assert.equal(env.event_type, 'ShoppingCartItemAdded');
      assert.equal(env.aggregate_type, 'ShoppingCart');
    });

    it('fills data with typed samples from the matching event of the definition', () => {
      const env = sample<DomainEventEnvelope>(`dev.domain.sales.order.placed.${EVENT_ID}`, { definition });
      assert.equal(env.event_type, 'OrderPlaced');
      assert.equal(env.aggregate_type, 'Order');
      assert.deepEqual(env.data, {
        order_id: env.aggregate_id,
        customer_id: id(2),
        items: [],
        total_amount: { amount: 99.99, currency: 'USD' },
        placed_at: NOW_ISO,
      });
    });

    it('matches the definition under its domain name as well as its bounded context', () => {
      const env = sample<DomainEventEnvelope>(`prod.domain.example-business.customer.registered.${EVENT_ID}`, { definition });
      assert.deepEqual(Object.keys(env.data), ['customer_id', 'email', 'name', 'registered_at']);
      assert.equal(env.data.email, 'customer@example.com');
      assert.equal(env.data.customer_id, env.aggregate_id);
    });

    it('takes the definition\'s names where tokens alone would guess wrong', () => {
      const env = sample<DomainEventEnvelope>(`dev.domain.sales.shopping-cart.item-added-to-cart.${EVENT_ID}`, { definition });
      assert.equal(env.event_type, 'ItemAddedToCart');
      assert.equal(env.aggregate_type, 'ShoppingCart');
      assert.deepEqual(env.data, { cart_id: id(2), product_id: id(3), quantity: 1 });
    });

    it('leaves data empty for an event the definition does not know, or another domain', () => {
      assert.deepEqual(sample<DomainEventEnvelope>(`dev.domain.sales.order.cancelled.${EVENT_ID}`, { definition }).data, {});
      assert.deepEqual(sample<DomainEventEnvelope>(`dev.domain.billing.order.placed.${EVENT_ID}`, { definition }).data, {});
    });

    it('makes a fresh event_id when the id token is not a UUID', () => {
      assert.equal(sample<DomainEventEnvelope>('dev.domain.sales.order.created.not-a-uuid').event_id, id(1));
      assert.equal(sample<DomainEventEnvelope>('dev.domain.sales.order.created.*').event_id, id(1));
    });

    it('keeps an upper-case UUID exactly as the subject writes it', () => {
      const upper = EVENT_ID.toUpperCase();
      assert.equal(sample<DomainEventEnvelope>(`dev.domain.sales.order.created.${upper}`).event_id, upper);
    });
  });

  describe('commands', () => {
    it('fills the command envelope with a type from action and aggregate', () => {
      const env = sample<CommandEnvelope>('prod.command.inventory.product.update');
      assert.deepEqual(env, {
        command_id: id(1),
        command_type: 'UpdateProduct',
        aggregate_type: 'Product',
        domain: 'inventory',
        timestamp: NOW_ISO,
        data: {},
        metadata: { correlation_id: id(1), causation_id: id(1), source: 'cim-nats' },
      });
    });

    it('takes data from the event the command produces', () => {
      const env = sample<CommandEnvelope>('dev.command.sales.customer.register', { definition });
      assert.equal(env.command_type, 'RegisterCustomer');
      assert.deepEqual(Object.keys(env.data), ['customer_id', 'email', 'name', 'registered_at']);
    });

    it('uses the command\'s own fields when the definition lists them', () => {
      const def = { ...definition, commands: [{ ...definition.commands[2]!, fields: [{ name: 'cart_id', type: 'UUID' }] }] };
      const env = sample<CommandEnvelope>('dev.command.sales.order.place', { definition: def });
      assert.deepEqual(env.data, { cart_id: id(2) });
    });
  });

  describe('projections, sagas and snapshots', () => {
    it('fills a projection', () => {
      assert.deepEqual(sample<ProjectionEnvelope>('prod.projection.order-summary.update'), {
        projection_id: id(1),
        view_name: 'order-summary',
        operation: 'update',
        timestamp: NOW_ISO,
        data: {},
        metadata: { correlation_id: id(1), causation_id: id(1), source: 'cim-nats' },
      });
    });

    it('fills a saga step, with the fields of the event it is named after', () => {
      const bare = sample<SagaEnvelope>('prod.saga.order-fulfillment.payment-processed');
      assert.deepEqual(bare, {
        saga_id: id(1),
        process_name: 'order-fulfillment',
        event_type: 'PaymentProcessed',
        timestamp: NOW_ISO,
        data: {},
        metadata: { correlation_id: id(1), causation_id: id(1), source: 'cim-nats' },
      });
      const known = sample<SagaEnvelope>('prod.saga.order-fulfillment.payment-processed', { definition });
      assert.deepEqual(Object.keys(known.data), ['payment_id', 'order_id', 'amount']);
    });

    it('fills a snapshot for the subject\'s aggregate, its own message id in metadata', () => {
      const env = sample<SnapshotEnvelope>(`prod.snapshot.sales.order.${EVENT_ID}`);
      assert.deepEqual(env, {
        aggregate_id: EVENT_ID,
        aggregate_type: 'Order',
        domain: 'sales',
        version: 1,
        timestamp: NOW_ISO,
        state: {},
        metadata: { message_id: id(1), correlation_id: id(1), causation_id: id(1), source: 'cim-nats' },
      });
    });

    it('builds snapshot state from every field of the aggregate\'s events', () => {
      const env = sample<SnapshotEnvelope>(`prod.snapshot.sales.order.${EVENT_ID}`, { definition });
      assert.deepEqual(Object.keys(env.state), ['order_id', 'customer_id', 'items', 'total_amount', 'placed_at', 'line_numbers', 'gift', 'note']);
      assert.equal(env.state.order_id, EVENT_ID);
      assert.deepEqual(env.state.line_numbers, [1]);
      assert.equal(env.state.note, null);
    });
  });

  describe('the cim-subject convention', () => {
    it('makes an event envelope with a fresh id, as its subjects carry none', () => {
      const env = sample<DomainEventEnvelope>('location.events.location.defined', {}, 'cim-subject');
      assert.equal(env.event_id, id(1));
      assert.equal(env.event_type, 'LocationDefined');
      assert.equal(env.domain, 'location');
    });

    it('names snake_case commands and queries in PascalCase', () => {
      assert.equal(sample<CommandEnvelope>('graph.commands.structure.add_node', {}, 'cim-subject').command_type, 'AddNodeStructure');
      const q = sample<QueryEnvelope>('location.queries.location.find_by_id', {}, 'cim-subject');
      assert.deepEqual([q.query_id, q.query_type, q.aggregate_type, q.domain], [id(1), 'FindById', 'Location', 'location']);
    });

    it('matches a snake_case subject against a definition parsed for kebab tokens', () => {
      const env = sample<DomainEventEnvelope>('sales.events.order.item_added', { definition }, 'cim-subject');
      assert.equal(env.event_type, 'OrderItemAdded');
      assert.deepEqual(Object.keys(env.data), ['order_id', 'line_numbers', 'gift', 'note']);
    });
  });

  describe('subjects outside every category', () => {
    it('gives the minimal envelope', () => {
      assert.deepEqual(sample<MinimalEnvelope>('dev.unknown.thing'), { id: id(1), timestamp: NOW_ISO, data: {} });
      assert.deepEqual(sample<MinimalEnvelope>('orders'), { id: id(1), timestamp: NOW_ISO, data: {} });
    });

    it('keeps the parent in metadata when one is given', () => {
      const env = sample<MinimalEnvelope>('dev.unknown.thing', { parent: { message_id: 'm-1', correlation_id: 'c-1' } });
      assert.deepEqual(env.metadata, { correlation_id: 'c-1', causation_id: 'm-1', source: 'cim-nats' });
    });
  });

  describe('message identity', () => {
    it('a root message correlates with and is caused by itself', () => {
      const env = sample<DomainEventEnvelope>(`dev.domain.sales.order.created.${EVENT_ID}`);
      assert.equal(env.metadata.correlation_id, env.event_id);
      assert.equal(env.metadata.causation_id, env.event_id);
    });

    it('a chain keeps the first message\'s correlation id and is caused link by link', () => {
      const root = sample<CommandEnvelope>('dev.command.sales.order.place', { source: 'web' });
      const event = sample<DomainEventEnvelope>(`dev.domain.sales.order.placed.${EVENT_ID}`, {
        parent: { message_id: root.command_id, correlation_id: root.metadata.correlation_id },
      });
      const saga = sample<SagaEnvelope>('dev.saga.order-fulfillment.started', {
        uuid: () => id(42),
        parent: { message_id: event.event_id, correlation_id: event.metadata.correlation_id },
      });
      assert.equal(root.metadata.source, 'web');
      assert.deepEqual(event.metadata, { correlation_id: root.command_id, causation_id: root.command_id, source: 'cim-nats' });
      assert.deepEqual(saga.metadata, { correlation_id: root.command_id, causation_id: EVENT_ID, source: 'cim-nats' });
    });
  });

  it('is deterministic given the clock and the id generator', () => {
    const text = `dev.domain.sales.order.placed.${EVENT_ID}`;
    assert.deepEqual(sample(text, { definition }), sample(text, { definition }));
  });

  it('makes real UUIDs and the current time by default', () => {
    const before = Date.now();
    const a = sampleEnvelope(subject('dev.command.sales.order.place')) as CommandEnvelope;
    const b = sampleEnvelope(subject('dev.command.sales.order.place')) as CommandEnvelope;
    assert.match(a.command_id, UUID_RE);
    assert.notEqual(a.command_id, b.command_id);
    assert.ok(Date.parse(a.timestamp) >= before - 1);
  });

  describe('properties', () => {
    const name = fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}$/);
    const eventSubject = fc.record({
      env: fc.constantFrom('dev', 'staging', 'prod'),
      domain: name,
      aggregate: name,
      event: name,
      eventId: fc.uuid(),
    });

    it('for every domain-event subject, event_id and Nats-Msg-Id are the last token and the envelope survives JSON', () => {
      fc.assert(
        fc.property(eventSubject, fc.boolean(), ({ env, domain, aggregate, event, eventId }, withDefinition) => {
          const parsed = subject(`${env}.domain.${domain}.${aggregate}.${event}.${eventId}`);
          assert.equal(parsed.category?.envelope, 'domain-event');
          const envelope = sampleEnvelope(parsed, withDefinition ? { definition } : {}) as DomainEventEnvelope;
          assert.equal(envelope.event_id, eventId);
          assert.equal(envelope.domain, domain);
          assert.equal(envelopeHeaders(envelope, parsed)['Nats-Msg-Id'], eventId);
          assert.deepEqual(JSON.parse(JSON.stringify(envelope)), envelope);
        }),
        { numRuns: 300 },
      );
    });

    it('every subject at all gives an envelope that survives JSON', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 60 }), fc.constantFrom('cim-start' as const, 'cim-subject' as const), (text, algebra) => {
          const envelope = sampleEnvelope(subject(text, algebra), { definition, now: NOW });
          assert.deepEqual(JSON.parse(JSON.stringify(envelope)), envelope);
        }),
        { numRuns: 300 },
      );
    });
  });
});
