// The explorer's data against the raw client calls that fetch the same, on a private nats-server (2.9.10 by default,
// NATS_SERVER_BIN for another): the tree's lists, and event-type counts against the whole per-subject state.
import { randomUUID } from 'node:crypto';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance } from 'node:perf_hooks';
import { AckPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { connectNats, type NatsSession } from '../src/nats/connection/connect';
import { startNatsServer } from '../dev/localServer';
import { countEventTypes, listConsumers, listStreams, type StreamSummary } from '../src/nats/explorer';
import { percentile, seededRandom, type Figure } from './lib';

const STREAMS = 1_000;
const WITH_CONSUMERS = 20;
const CONSUMERS_EACH = 10;
const SUBJECTS = 100_000;
const LIST_RUNS = 15;
const COUNT_RUNS = 3;
const LIST_GOAL = 1.3;
const COUNT_GOAL = 10;

/** A domain-events distribution like a real one: a few common types, some rarer ones, every subject its own id. */
const TYPES: [string, number][] = [
  ['order.created', 0.4],
  ['order.paid', 0.25],
  ['order.shipped', 0.15],
  ['customer.registered', 0.1],
  ['customer.updated', 0.06],
  ['invoice.issued', 0.04],
];
const RARE = 'invoice.voided';
const RARE_COUNT = 5;

export async function run(): Promise<Figure[]> {
  const server = await startNatsServer();
  let session: NatsSession | undefined;
  try {
    session = await connectNats({ servers: server.url, timeoutMs: 30_000 });
    const jsm = await session.jetstreamManager();
    const version = session.nc.info?.version ?? '?';
    return [...(await lists(session, jsm, version)), ...(await eventTypes(session, jsm, version))];
  } finally {
    await session?.close();
    await server.stop();
  }
}

async function lists(session: NatsSession, jsm: JetStreamManager, version: string): Promise<Figure[]> {
  const names = Array.from({ length: STREAMS }, (_, i) => `TREE_${String(i).padStart(4, '0')}`);
  for (let i = 0; i < names.length; i += 100) {
    await Promise.all(names.slice(i, i + 100).map(name => jsm.streams.add({ name, subjects: [`tree.${name.slice(5)}.>`], storage: StorageType.Memory })));
  }
  const expanded = names.slice(0, WITH_CONSUMERS);
  await Promise.all(expanded.flatMap(s => Array.from({ length: CONSUMERS_EACH }, (_, i) => jsm.consumers.add(s, { durable_name: `c${i}`, ack_policy: AckPolicy.Explicit }))));

  const ours = async () => {
    const streams = await listStreams(session);
    const consumers = await Promise.all(expanded.map(s => listConsumers(session, s)));
    return streams.length + consumers.reduce((n, c) => n + c.length, 0);
  };
  const raw = async () => {
    let n = 0;
    for await (const _ of jsm.streams.list()) n++;
    const counts = await Promise.all(
      expanded.map(async s => {
        let c = 0;
        for await (const _ of jsm.consumers.list(s)) c++;
        return c;
      }),
    );
    return n + counts.reduce((a, b) => a + b, 0);
  };
  const want = STREAMS + WITH_CONSUMERS * CONSUMERS_EACH;
  const oursMs: number[] = [];
  const rawMs: number[] = [];
  // Interleaved, after a warm-up of each, so both see the same server state and JIT.
  for (let r = -1; r < LIST_RUNS; r++) {
    // Alternate which goes first, so neither always runs on a server just warmed by the other.
    const order = r % 2 ? ([[raw, rawMs], [ours, oursMs]] as const) : ([[ours, oursMs], [raw, rawMs]] as const);
    for (const [fn, into] of order) {
      const start = performance.now();
      const got = await fn();
      if (got !== want) throw new Error(`listed ${got} streams and consumers, expected ${want}`);
      if (r >= 0) into.push(performance.now() - start);
    }
  }
  await Promise.all(names.map(n => jsm.streams.delete(n)));
  // The median of back-to-back pairs: both halves of a pair share whatever else the machine is doing.
  const ratio = percentile(oursMs.map((ms, i) => ms / rawMs[i]!), 50);
  const shape = `${STREAMS.toLocaleString('en')} streams + ${WITH_CONSUMERS}×${CONSUMERS_EACH} consumers`;
  return [
    { name: `explorer tree data vs raw client lists (nats-server ${version})`, value: ratio, unit: 'x', goal: `<= ${LIST_GOAL}x`, ok: ratio <= LIST_GOAL },
    { name: `explorer tree data, ${shape}`, value: percentile(oursMs, 50), unit: 'ms' },
    { name: `raw streams.list() + consumers.list(), ${shape}`, value: percentile(rawMs, 50), unit: 'ms' },
  ];
}

async function eventTypes(session: NatsSession, jsm: JetStreamManager, version: string): Promise<Figure[]> {
  const name = 'BENCH_EVENTS';
  const prefix = 'dev.domain.bench';
  await jsm.streams.add({ name, subjects: [`${prefix}.>`], storage: StorageType.File });
  const rareAt = new Set(Array.from({ length: RARE_COUNT }, (_, i) => Math.floor(((i + 0.37) * SUBJECTS) / RARE_COUNT)));
  const random = seededRandom(20261201);
  for (let i = 0; i < SUBJECTS; i++) {
    let t = RARE;
    if (!rareAt.has(i)) {
      let x = random();
      t = TYPES.find(([, share]) => (x -= share) < 0)?.[0] ?? TYPES[0]![0];
    }
    session.nc.publish(`${prefix}.${t}.${randomUUID()}`, '{"event_id":"x"}');
    if (i % 10_000 === 0) await session.nc.flush();
  }
  await session.nc.flush();
  for (let i = 0; (await jsm.streams.info(name)).state.messages < SUBJECTS; i++) {
    if (i > 600) throw new Error(`${name} did not store ${SUBJECTS} messages`);
    await new Promise(r => setTimeout(r, 50));
  }
  const stream = (await listStreams(session, { filter: `${prefix}.>` })).find(s => s.name === name)!;
  const declared = [...TYPES.map(([t]) => t), RARE].map(t => ({ aggregate: t.split('.')[0]!, event: t.split('.')[1]! }));
  const undeclaredRare = declared.filter(d => `${d.aggregate}.${d.event}` !== RARE);

  const subjectState = await measure(async () => {
    const si = await jsm.streams.info(name, { subjects_filter: '>' });
    return Object.keys(si.state.subjects ?? {}).length;
  });
  if (subjectState.result !== SUBJECTS) throw new Error(`subject state held ${subjectState.result} subjects`);
  let requests = 0;
  let estimated = false;
  const counted = await measure(async () => {
    const c = await countEventTypes(session, stream, { prefix, declared });
    requests = c.requests;
    estimated = c.estimated === true;
    return check(c, stream);
  });
  // Before 2.10 the tree shows estimates on a stream this large; the exact counts it offers, measured too.
  const exact = estimated ? await measure(async () => check(await countEventTypes(session, stream, { prefix, declared, exact: true }), stream)) : undefined;
  let locateRequests = 0;
  const located = await measure(async () => {
    const c = await countEventTypes(session, stream, { prefix, declared: undeclaredRare });
    locateRequests = c.requests;
    return check(c, stream);
  });
  const found = located.result.has(RARE) ? 'found' : 'left in Other';
  await jsm.streams.delete(name);

  const speedup = subjectState.ms / counted.ms;
  const shape = `${SUBJECTS.toLocaleString('en')} subjects`;
  const how = estimated ? ', estimated from samples as the tree does there' : '';
  return [
    { name: `event types vs per-subject state, declared types (nats-server ${version}${how})`, value: speedup, unit: 'x', goal: `>= ${COUNT_GOAL}x`, ok: speedup >= COUNT_GOAL },
    { name: `event types, ${shape}, declared types`, value: counted.ms, unit: 'ms' },
    ...(exact ? [
      { name: `event types counted exactly on asking (nats-server ${version}: each count reads its messages) vs per-subject state`, value: subjectState.ms / exact.ms, unit: 'x' },
      { name: `event types counted exactly on asking, ${shape}`, value: exact.ms, unit: 'ms' },
      { name: `event types estimate error, largest of ${TYPES.length} types (share of the stream)`, value: estimateError(counted.result, exact.result), unit: '%' },
    ] : []),
    { name: `streams.info subjects_filter ">", ${shape}`, value: subjectState.ms, unit: 'ms' },
    { name: `event types, ${shape}, an undeclared rare type (${found})`, value: located.ms, unit: 'ms' },
    { name: `event types vs per-subject state, an undeclared rare type`, value: subjectState.ms / located.ms, unit: 'x' },
    { name: 'event types requests, declared types', value: requests, unit: '' },
    { name: 'event types requests, an undeclared rare type', value: locateRequests, unit: '' },
    { name: 'event types heap peak, declared types', value: counted.heapMB, unit: 'MB' },
    { name: 'event types heap peak, an undeclared rare type', value: located.heapMB, unit: 'MB' },
    { name: 'per-subject state heap peak', value: subjectState.heapMB, unit: 'MB' },
  ];
}

/** Exact counts must add up with Other to the stream's messages (estimates: their total); the types found, by count. */
function check(c: Awaited<ReturnType<typeof countEventTypes>>, stream: StreamSummary): Map<string, number> {
  const sum = c.types.reduce((n, t) => n + t.messages, 0) + c.other;
  if (c.total !== stream.messages || (!c.estimated && sum !== c.total)) throw new Error(`counts do not add up: ${sum} + other vs ${c.total} of ${stream.messages}`);
  return new Map(c.types.filter(t => t.messages > 0).map(t => [`${t.aggregate}.${t.event}`, t.messages]));
}

/** The largest difference between estimated and exact counts, in percent of the stream's messages. */
function estimateError(estimates: Map<string, number>, exact: Map<string, number>): number {
  const worst = Math.max(...[...exact].map(([type, n]) => Math.abs((estimates.get(type) ?? 0) - n)));
  return (100 * worst) / SUBJECTS;
}

const gc = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Median milliseconds of COUNT_RUNS (after one warm-up), and the largest heap growth seen during a run. */
async function measure<T>(fn: () => Promise<T>): Promise<{ ms: number; heapMB: number; result: T }> {
  let result = await fn();
  const times: number[] = [];
  let peak = 0;
  for (let r = 0; r < COUNT_RUNS; r++) {
    gc();
    const base = getHeapStatistics().used_heap_size;
    let max = base;
    const sampler = setInterval(() => {
      max = Math.max(max, getHeapStatistics().used_heap_size);
    }, 1);
    const start = performance.now();
    result = await fn();
    times.push(performance.now() - start);
    // The result is still alive here: what the caller would hold.
    max = Math.max(max, getHeapStatistics().used_heap_size);
    clearInterval(sampler);
    peak = Math.max(peak, max - base);
  }
  return { ms: percentile(times, 50), heapMB: peak / (1024 * 1024), result };
}
