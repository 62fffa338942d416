// Publishing through the playbook runner against bare `js.publish` calls: 10,000 CIM domain events each, the same
// number in flight, on a private nats-server, in the same run.
import { randomUUID } from 'node:crypto';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { preset } from '../src/core/algebra/compiled';
import { parsePlaybook } from '../src/core/playbook';
import { connectNats } from '../src/nats/connection/connect';
import { startNatsServer } from '../dev/localServer';
import { PlaybookRunner } from '../src/nats/publish/playbookRunner';
import { percentile, type Figure } from './lib';

const MESSAGES = 10_000;
const IN_FLIGHT = 256;
const RUNS = 7;

/** A domain event as CIM-Start's test script publishes it, with one id in subject, Nats-Msg-Id and payload. */
const PLAYBOOK = `
@event_id = {{uuid}}
@aggregate_id = {{uuid}}
### Order created
PUB dev.domain.sales.order.created.{{event_id}} repeat=${MESSAGES}
X-Message-ID: {{event_id}}
X-Correlation-ID: {{event_id}}
X-Causation-ID: {{event_id}}

{ "event_id": "{{event_id}}", "event_type": "OrderCreated", "aggregate_type": "Order", "aggregate_id": "{{aggregate_id}}",
  "domain": "sales", "timestamp": "{{now}}", "version": 1, "data": { "order_id": "{{aggregate_id}}", "total": 42 },
  "metadata": { "correlation_id": "{{event_id}}", "causation_id": "{{event_id}}", "source": "bench" } }
`;

export async function run(): Promise<Figure[]> {
  const server = await startNatsServer();
  const session = await connectNats({ servers: server.url, timeoutMs: 30_000 });
  const runner = new PlaybookRunner(session, { algebra: preset('cim-start'), environment: 'dev' });
  try {
    const jsm = await session.jetstreamManager();
    const js = session.jetstream();
    await jsm.streams.add({ name: 'DOMAIN_SALES_EVENTS', subjects: ['dev.domain.sales.>'], duplicate_window: 120_000_000_000 });
    const playbook = parsePlaybook(PLAYBOOK);
    const block = playbook.blocks[0]!;

    const viaRunner = async (): Promise<number> => {
      const t0 = performance.now();
      const r = await runner.runBlock(playbook, block, { inFlight: IN_FLIGHT });
      const ms = performance.now() - t0;
      if (r.kind !== 'repeated' || r.summary.stored !== MESSAGES) throw new Error(`the runner stored ${JSON.stringify(r.kind === 'repeated' ? r.summary : r.kind)}`);
      return ms;
    };
    // What a caller writes by hand for the same messages: the envelope built, published with its id, IN_FLIGHT at once.
    const raw = async (): Promise<number> => {
      const t0 = performance.now();
      let stored = 0;
      let pending = 0;
      let wake: (() => void) | undefined;
      const freed = () => {
        pending--;
        wake?.();
      };
      for (let i = 0; i < MESSAGES; i++) {
        const id = randomUUID();
        const aggregate = randomUUID();
        const h = natsHeaders();
        for (const k of ['X-Message-ID', 'X-Correlation-ID', 'X-Causation-ID']) h.set(k, id);
        const body = JSON.stringify({
          event_id: id, event_type: 'OrderCreated', aggregate_type: 'Order', aggregate_id: aggregate, domain: 'sales',
          timestamp: new Date().toISOString(), version: 1, data: { order_id: aggregate, total: 42 },
          metadata: { correlation_id: id, causation_id: id, source: 'bench' },
        });
        pending++;
        void js.publish(`dev.domain.sales.order.created.${id}`, body, { msgID: id, headers: h }).then(a => {
          if (!a.duplicate) stored++;
        }).then(freed, freed);
        while (pending >= IN_FLIGHT) await new Promise<void>(resolve => (wake = resolve));
      }
      while (pending > 0) await new Promise<void>(resolve => (wake = resolve));
      if (stored !== MESSAGES) throw new Error(`raw js.publish stored ${stored} of ${MESSAGES}`);
      return performance.now() - t0;
    };

    // One pair warms the JIT and the server. The order alternates so that neither always runs on a fuller stream, and
    // the ratio is the median of each pair's: on a shared machine the load drifts between pairs more than within one.
    await raw();
    await viaRunner();
    const rawMs: number[] = [];
    const runnerMs: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      let rawTime: number;
      let runnerTime: number;
      if (r % 2 === 0) {
        rawTime = await raw();
        runnerTime = await viaRunner();
      } else {
        runnerTime = await viaRunner();
        rawTime = await raw();
      }
      rawMs.push(rawTime);
      runnerMs.push(runnerTime);
      // Throughput ratio: runner msgs/s over raw msgs/s.
      ratios.push(rawTime / runnerTime);
    }
    const rate = (ms: number) => MESSAGES / (ms / 1000);
    const runnerRate = rate(percentile(runnerMs, 50));
    const rawRate = rate(percentile(rawMs, 50));
    const ratio = percentile(ratios, 50);
    const n = MESSAGES.toLocaleString('en-US');
    return [
      { name: `publish ${n} domain events through the playbook runner (${IN_FLIGHT} in flight)`, value: runnerRate, unit: 'msgs/s' },
      { name: `publish ${n} domain events with raw js.publish (${IN_FLIGHT} in flight)`, value: rawRate, unit: 'msgs/s' },
      { name: 'publish runner vs raw js.publish throughput', value: ratio, unit: 'x', goal: '>= 0.8x', ok: ratio >= 0.8 },
    ];
  } finally {
    runner.dispose();
    await session.close();
    await server.stop();
  }
}
