// A conversation to find and trace, stored on a real server: CIM streams of one domain on three retentions (events:
// limits, commands: interest with a durable, sagas: work queue), one correlation with branches, a broken link, an
// orphan and an unanswered command; one aggregate with a snapshot and a version gap; noise around them.
import { RetentionPolicy, StorageType, AckPolicy, type JetStreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';

export const SEED = {
  env: 'dev',
  domain: 'sales',
  correlationId: '0b9a7c1e-0000-4000-8000-000000000001',
  aggregateId: '8e7e0000-0000-4000-8000-0000000000aa',
  otherAggregateId: '8e7e0000-0000-4000-8000-0000000000bb',
  streams: { events: 'DOMAIN_SALES_EVENTS', commands: 'DOMAIN_SALES_COMMANDS', snapshots: 'DOMAIN_SALES_SNAPSHOTS', sagas: 'SAGAS', projections: 'PROJECTIONS' },
  /** The durable that makes the interest stream keep its commands. */
  commandsDurable: 'order-handler',
  ids: {
    placeOrder: '0b9a7c1e-0000-4000-8000-000000000001',
    placed: 'e1000000-0000-4000-8000-000000000001',
    saga: 's1000000-0000-4000-8000-000000000001',
    reserve: 'c2000000-0000-4000-8000-000000000002',
    confirmed: 'e2000000-0000-4000-8000-000000000002',
    projection: 'p1000000-0000-4000-8000-000000000001',
    shipped: 'e4000000-0000-4000-8000-000000000004',
    orphan: 's2000000-0000-4000-8000-000000000002',
    lostCause: 'ffff0000-0000-4000-8000-00000000dead',
  },
} as const;

const enc = new TextEncoder();
const json = (v: unknown) => enc.encode(JSON.stringify(v));

/** The streams (those a server already has are kept as they are) and the durable that keeps the commands. */
export async function createSeedStreams(jsm: JetStreamManager): Promise<void> {
  const { streams: s } = SEED;
  const add = async (config: Parameters<JetStreamManager['streams']['add']>[0]) => {
    const exists = await jsm.streams.info(config.name!).then(() => true, () => false);
    if (!exists) await jsm.streams.add(config);
  };
  await add({ name: s.events, subjects: ['dev.domain.sales.>'] });
  await add({ name: s.commands, subjects: ['dev.command.sales.>'], retention: RetentionPolicy.Interest, storage: StorageType.Memory });
  await jsm.consumers.add(s.commands, { durable_name: SEED.commandsDurable, ack_policy: AckPolicy.Explicit });
  await add({ name: s.snapshots, subjects: ['dev.snapshot.sales.>'], allow_rollup_hdrs: true });
  await add({ name: s.sagas, subjects: ['dev.saga.>'], retention: RetentionPolicy.Workqueue });
  await add({ name: s.projections, subjects: ['dev.projection.>'] });
}

function event(id: string, type: string, aggregateId: string, version: number, meta: Record<string, string>, data: Record<string, unknown> = {}) {
  return { event_id: id, event_type: type, aggregate_type: 'order', aggregate_id: aggregateId, domain: 'sales', timestamp: new Date().toISOString(), version, data, metadata: { source: 'seed', ...meta } };
}

/** Publishes the conversation and the noise in causal order (stored times grow with it); returns how many were stored. */
export async function publishSeed(js: JetStreamClient): Promise<number> {
  const { ids, correlationId: c, aggregateId: a, otherAggregateId: b } = SEED;
  const withHeaders = (pairs: Record<string, string>) => {
    const h = natsHeaders();
    for (const [k, v] of Object.entries(pairs)) h.set(k, v);
    return h;
  };
  const sends: [string, Uint8Array, ReturnType<typeof natsHeaders>?][] = [
    // noise before: another aggregate, another correlation
    ['dev.domain.sales.order.placed.' + 'e0000000-0000-4000-8000-0000000000b1', json(event('e0000000-0000-4000-8000-0000000000b1', 'OrderPlaced', b, 1, { correlation_id: 'other', causation_id: 'other' }, { customer_id: '999' }))],
    // the origin: its command id is the correlation id
    ['dev.command.sales.order.place', json({ command_id: ids.placeOrder, command_type: 'PlaceOrder', aggregate_type: 'order', domain: 'sales', timestamp: new Date().toISOString(), data: { customer_id: '123' }, metadata: { correlation_id: c, source: 'seed' } })],
    ['dev.domain.sales.order.placed.' + ids.placed, json(event(ids.placed, 'OrderPlaced', a, 1, { correlation_id: c, causation_id: ids.placeOrder }, { customer_id: '123', total: 42 }))],
    ['dev.saga.order-fulfillment.started', json({ saga_id: ids.saga, process_name: 'order-fulfillment', event_type: 'started', timestamp: new Date().toISOString(), data: {} }), withHeaders({ 'X-Correlation-ID': c, 'X-Causation-ID': ids.placed })],
    // a command the saga sent that no event answered
    ['dev.command.sales.order.reserve', json({ command_id: ids.reserve, command_type: 'ReservePayment', aggregate_type: 'order', domain: 'sales', timestamp: new Date().toISOString(), data: {}, metadata: { correlation_id: c, causation_id: ids.saga, source: 'seed' } })],
    ['dev.domain.sales.order.confirmed.' + ids.confirmed, json(event(ids.confirmed, 'OrderConfirmed', a, 2, { correlation_id: c, causation_id: ids.saga }, { customer_id: '123' }))],
    ['dev.projection.order-summary.update', json({ projection_id: ids.projection, view_name: 'order-summary', operation: 'update', timestamp: new Date().toISOString(), data: {} }), withHeaders({ 'X-Correlation-ID': c, 'X-Causation-ID': ids.confirmed })],
    // version 3 is missing; its cause is nowhere: a broken link
    ['dev.domain.sales.order.shipped.' + ids.shipped, json(event(ids.shipped, 'OrderShipped', a, 4, { correlation_id: c, causation_id: ids.lostCause }, { customer_id: '123' }))],
    // the correlation id without a cause: an orphan
    ['dev.saga.order-fulfillment.audited', json({ saga_id: ids.orphan, process_name: 'order-fulfillment', event_type: 'audited', timestamp: new Date().toISOString(), data: {} }), withHeaders({ 'X-Correlation-ID': c })],
    ['dev.snapshot.sales.order.' + a, json({ aggregate_id: a, aggregate_type: 'order', domain: 'sales', version: 2, timestamp: new Date().toISOString(), state: { status: 'confirmed' } })],
    // noise after: a payload that is not JSON, and another aggregate's event
    ['dev.domain.sales.order.noted.' + 'e0000000-0000-4000-8000-0000000000b2', enc.encode('not json at all')],
    ['dev.domain.sales.order.cancelled.' + 'e0000000-0000-4000-8000-0000000000b3', json(event('e0000000-0000-4000-8000-0000000000b3', 'OrderCancelled', b, 2, { correlation_id: 'other', causation_id: 'other' }, { customer_id: '999' }))],
  ];
  for (const [subject, data, h] of sends) await js.publish(subject, data, h ? { headers: h } : undefined);
  return sends.length;
}
