// Health polling at scale, on a private nats-server (2.9.10 by default, NATS_SERVER_BIN for another): 1,000 streams,
// 10 consumers on 100 of them, polled at a 2 s interval. Requests per interval (counted by the poller) against one
// request per tree item; the event loop's delay p99 while polling against the same time idle; and the memory an hour
// of samples holds (simulated: 1,800 samples of the same shape fed to the history).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AckPolicy, StorageType } from '@nats-io/jetstream';
import { MetricsHistory, type ConsumerSample, type PollSample, type StreamSample } from '../src/core/metrics';
import { connectNats, type NatsSession } from '../src/nats/connection/connect';
import { pollMetrics } from '../src/nats/metrics';
import { listStreams } from '../src/nats/explorer';
import { startNatsServer } from '../dev/localServer';
import type { Figure } from './lib';

const STREAMS = 1_000;
const WITH_CONSUMERS = 100;
const CONSUMERS_EACH = 10;
const INTERVAL_MS = 2_000;
const POLLS = 6;
const HOUR_SAMPLES = 3_600_000 / INTERVAL_MS;
const DELAY_GOAL_MS = 20;
const MEMORY_GOAL_MB = 20;

export async function run(): Promise<Figure[]> {
  // first, while the heap holds little else to collect
  const held = memory();
  const server = await startNatsServer();
  let session: NatsSession | undefined;
  try {
    session = await connectNats({ servers: server.url, timeoutMs: 30_000 });
    const version = session.nc.info?.version ?? '?';
    await populate(session);
    return [...(await polling(session, version)), ...held];
  } finally {
    await session?.close();
    await server.stop();
  }
}

async function populate(session: NatsSession): Promise<void> {
  const jsm = await session.jetstreamManager();
  const names = Array.from({ length: STREAMS }, (_, i) => `HEALTH_${String(i).padStart(4, '0')}`);
  for (let i = 0; i < names.length; i += 100) {
    await Promise.all(names.slice(i, i + 100).map(name => jsm.streams.add({ name, subjects: [`health.${name.slice(7)}.>`], storage: StorageType.Memory })));
  }
  const withConsumers = names.slice(0, WITH_CONSUMERS);
  for (let i = 0; i < withConsumers.length; i += 10) {
    await Promise.all(withConsumers.slice(i, i + 10).flatMap(s => Array.from({ length: CONSUMERS_EACH }, (_, c) => jsm.consumers.add(s, { durable_name: `c${c}`, ack_policy: AckPolicy.Explicit }))));
  }
}

async function polling(session: NatsSession, version: string): Promise<Figure[]> {
  const history = new MetricsHistory();
  // the same seconds idle first: what the machine's event loop does with nothing to do
  const idle = await delayP99(async () => {
    for (let i = 0; i < POLLS; i++) await new Promise(r => setTimeout(r, INTERVAL_MS));
  });
  const requests: number[] = [];
  const polled = await delayP99(async () => {
    for (let i = 0; i < POLLS; i++) {
      const started = Date.now();
      const r = await pollMetrics(session);
      history.add(r.sample);
      // as the extension does: the health is assessed in a task of its own after the sample is taken
      await new Promise(res => setImmediate(res));
      history.health();
      requests.push(r.sample.requests);
      await new Promise(res => setTimeout(res, Math.max(0, INTERVAL_MS - (Date.now() - started))));
    }
  });
  // the badges' poll: the explorer has just listed the streams, so only the consumer lists are asked for
  const listed = await listStreams(session);
  const badges = (await pollMetrics(session, { streams: listed })).sample.requests;
  const pages = Math.ceil(STREAMS / 256);
  const expected = pages + WITH_CONSUMERS;
  // one request per tree item: a stream info each and a consumer info each
  const perItem = STREAMS + WITH_CONSUMERS * CONSUMERS_EACH;
  const perInterval = Math.max(...requests);
  return [
    { name: `health: requests per 2 s interval, ${STREAMS} streams, ${WITH_CONSUMERS}×${CONSUMERS_EACH} consumers (${version})`, value: perInterval, unit: 'requests', goal: `= ${pages} stream list pages + ${WITH_CONSUMERS} consumer lists`, ok: perInterval === expected },
    { name: 'health: requests per interval against one per tree item', value: perInterval / perItem, unit: 'x', goal: '< 0.2', ok: perInterval / perItem < 0.2 },
    { name: 'health: requests per interval for the badges (stream list taken from the explorer)', value: badges, unit: 'requests', goal: `= ${WITH_CONSUMERS} consumer lists`, ok: badges === WITH_CONSUMERS },
    { name: `health: event-loop delay p99 while polling (${POLLS} polls at 2 s)`, value: polled, unit: 'ms', goal: `< ${DELAY_GOAL_MS} ms`, ok: polled < DELAY_GOAL_MS },
    { name: 'health: event-loop delay p99 polling against idle', value: polled / Math.max(idle, 0.001), unit: 'x' },
  ];
}

/** The p99 of the event loop's delay (ms) while `body` runs. */
async function delayP99(body: () => Promise<void>): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  try {
    await body();
  } finally {
    h.disable();
  }
  return h.percentile(99) / 1e6;
}

/** An hour of samples of the benchmark's shape (rates moving, consumers behind) fed to one history. */
function memory(): Figure[] {
  const gc = exposeGc();
  const streams: StreamSample[] = Array.from({ length: STREAMS }, (_, i) => ({
    name: `HEALTH_${String(i).padStart(4, '0')}`, created: 'c', messages: 0, bytes: 0, firstSeq: 1, lastSeq: 0, consumerCount: i < WITH_CONSUMERS ? CONSUMERS_EACH : 0,
    maxMsgs: -1, maxBytes: -1, maxAgeNs: 0, discard: 'old',
  }));
  const consumers: ConsumerSample[] = streams.slice(0, WITH_CONSUMERS).flatMap(s => Array.from({ length: CONSUMERS_EACH }, (_, c) => ({
    stream: s.name, name: `c${c}`, created: 'k', pending: 0, ackPending: 0, redelivered: 0, deliveredCount: 0, ackedCount: 0, ackFloor: 0,
  })));
  const sampleAt = (k: number): PollSample => ({
    t: k * INTERVAL_MS,
    streams: streams.map((s, i) => ({ ...s, lastSeq: k * (i % 7), messages: k * (i % 7), bytes: k * (i % 7) * 200 })),
    consumers: consumers.map((c, i) => ({ ...c, pending: (k * 3 + i) % 50, deliveredCount: k * 2, ackedCount: k * 2, ackFloor: k })),
    requests: 0,
  });
  gc();
  const before = heldBytes();
  const history = new MetricsHistory();
  let afterMinute = 0;
  for (let k = 0; k < HOUR_SAMPLES; k++) {
    history.add(sampleAt(k));
    if (k === 30) {
      gc();
      afterMinute = heldBytes();
    }
  }
  gc();
  const after = heldBytes();
  const mb = (n: number) => n / (1024 * 1024);
  // the history must still be reachable here, or the collector would have taken it
  const series = history.series.size;
  return [
    { name: `health: memory an hour of samples holds (${series} series, ${HOUR_SAMPLES} samples, simulated)`, value: mb(after - before), unit: 'MB', goal: `≤ ${MEMORY_GOAL_MB} MB`, ok: mb(after - before) <= MEMORY_GOAL_MB },
    { name: 'health: memory growth from the first minute to the hour', value: mb(after - afterMinute), unit: 'MB', goal: '≈ 0 (bounded rings)', ok: mb(after - afterMinute) < 2 },
  ];
}

function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** What the process holds: the JS heap and the typed arrays' buffers outside it (the rings are Float64Arrays). */
function heldBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}
