// A server with known CIM streams and events, for the in-host suites and the UI checks (no vscode here).
import assert from 'node:assert/strict';
import { AckPolicy } from '@nats-io/jetstream';
import { preset } from '../../src/core/algebra/compiled';
import { connectNats, type NatsSession } from '../../src/nats/connection/connect';
import { cimStreamConfigs, ensureStreams } from '../../src/nats/streams/cimStreams';

export const SALES_EVENT = (aggregate: string, event: string, i: number) => `dev.domain.sales.${aggregate}.${event}.00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** The CIM streams for sales and inventory, 3 order.created and 2 order.shipped events, and one durable consumer. */
export async function seedServer(url: string): Promise<void> {
  const session: NatsSession = await connectNats({ servers: url });
  try {
    const jsm = await session.jetstreamManager();
    const results = await ensureStreams(jsm, cimStreamConfigs(preset('cim-start'), { domains: ['sales', 'inventory'], environment: 'dev', scope: 'environment' }));
    assert.deepEqual(results.filter(r => r.action === 'failed'), []);
    const js = session.jetstream();
    let i = 0;
    for (const [aggregate, event, n] of [['order', 'created', 3], ['order', 'shipped', 2]] as const) {
      for (let k = 0; k < n; k++) await js.publish(SALES_EVENT(aggregate, event, ++i), JSON.stringify({ event_id: i }));
    }
    await jsm.consumers.add('DOMAIN_SALES_EVENTS', { durable_name: 'order-projector', filter_subject: 'dev.domain.sales.order.>', ack_policy: AckPolicy.Explicit });
  } finally {
    await session.close();
  }
}

