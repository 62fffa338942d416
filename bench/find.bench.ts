// Find and trace against raw reads of the same messages, in the same run on a private nats-server:
// - Find over a stream of 1,000,000 JSON events of 512 B with a CEL predicate matching 0.1 %, against a raw ordered
//   read of the whole stream (goal: at least 0.6 of its speed), and the heap it takes (goal: at most 64 MB).
// - Trace over 10 streams holding 1,000,000 messages published over a span S: a window of S/48 (what ±15 minutes is
//   of a day) read as a share of all messages (goal: the window's share + 5 % at most), and its time against a raw
//   read of just that window (goal: 1.5× at most).
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { compileCel } from '../src/core/find/celFilter';
import { connectNats, type NatsSession } from '../src/nats/connection/connect';
import { findMessages } from '../src/nats/read/find';
import { findCorrelation } from '../src/nats/trace/correlation';
import { startNatsServer } from '../dev/localServer';
import { HeapPeak, percentile, type Figure } from './lib';

const FIND_STREAM = 'BENCH_FIND';
const FIND_MESSAGES = 1_000_000;
const SIZE = 512;
const RUNS = 3;
const IN_FLIGHT = 512;
const TRACE_STREAMS = 10;
const TRACE_MESSAGES = 1_000_000;
const CORRELATION = 'bench-correlation-0000-4000-8000-000000000001';

const encoder = new TextEncoder();

/** A domain event of about `size` bytes; one in a thousand is customer 123's. */
function event(i: number, size: number, correlation = `c-${i}`): Uint8Array {
  const head = {
    event_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, event_type: 'OrderPlaced', aggregate_type: 'order', aggregate_id: `a-${i % 5000}`,
    domain: 'sales', timestamp: '2026-12-01T09:30:00.000Z', version: 1, data: { customer_id: i % 1000 === 0 ? '123' : `c-${i % 997}`, note: '' },
    metadata: { correlation_id: correlation, causation_id: correlation, source: 'bench' },
  };
  const text = JSON.stringify(head);
  head.data.note = 'x'.repeat(Math.max(0, size - text.length));
  return encoder.encode(JSON.stringify(head));
}

async function publishAll(js: JetStreamClient, count: number, subject: (i: number) => string, data: (i: number) => Uint8Array): Promise<void> {
  for (let i = 0; i < count; i += IN_FLIGHT) {
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, count - i) }, (_, k) => js.publish(subject(i + k), data(i + k))));
  }
}

/** What a caller would write by hand: an ordered consumer from a start, read until `stop` says so, deleted after. */
async function rawRead(session: NatsSession, stream: string, start: { opt_start_time?: string }, stop: (m: JsMsg) => boolean): Promise<number> {
  const c = await session.jetstream().consumers.get(stream, start);
  let count = 0;
  try {
    if ((await c.info(true)).num_pending === 0) return 0;
    const iter = await c.consume();
    for await (const m of iter as AsyncIterable<JsMsg>) {
      if (stop(m)) break;
      count++;
      if (m.info.pending === 0) break;
    }
    iter.stop();
  } finally {
    await c.delete().catch(() => undefined);
  }
  return count;
}

export async function run(): Promise<Figure[]> {
  const server = await startNatsServer();
  const session = await connectNats({ servers: server.url, timeoutMs: 60_000 });
  try {
    return [...(await findFigures(session)), ...(await traceFigures(session))];
  } finally {
    await session.close();
    await server.stop();
  }
}

async function findFigures(session: NatsSession): Promise<Figure[]> {
  const jsm = await session.jetstreamManager();
  await jsm.streams.add({ name: FIND_STREAM, subjects: ['bench.domain.sales.>'] });
  await publishAll(session.jetstream(), FIND_MESSAGES, i => `bench.domain.sales.order.placed.${i}`, i => event(i, SIZE));
  const compiled = compileCel('event.data.customer_id == "123"');
  if (!compiled.ok) throw new Error(compiled.problem.message);
  const where = compiled.filter;
  const find = async (): Promise<number> => {
    const r = await findMessages(session, { streams: [FIND_STREAM], where, maxScanned: FIND_MESSAGES, maxMatches: FIND_MESSAGES });
    if (r.scanned !== FIND_MESSAGES) throw new Error(`find scanned ${r.scanned} of ${FIND_MESSAGES}`);
    return r.matches.length;
  };
  const raw = () => rawRead(session, FIND_STREAM, {}, () => false);
  const findMs: number[] = [];
  const rawMs: number[] = [];
  let matches = 0;
  const timed = async (fn: () => Promise<number>, into: number[]) => {
    const t0 = performance.now();
    const n = await fn();
    into.push(performance.now() - t0);
    return n;
  };
  await raw();
  for (let r = 0; r < RUNS; r++) {
    if (r % 2 === 0) {
      await timed(raw, rawMs);
      matches = await timed(find, findMs);
    } else {
      matches = await timed(find, findMs);
      await timed(raw, rawMs);
    }
  }
  const heap = new HeapPeak();
  const base = heap.start();
  await find();
  const growth = heap.stop() - base;
  const speed = percentile(rawMs, 50) / percentile(findMs, 50);
  const total = `${FIND_MESSAGES.toLocaleString('en-US')} × ${SIZE} B`;
  return [
    { name: `find with CEL (0.1 % match, ${matches} found) over ${total}`, value: percentile(findMs, 50), unit: 'ms' },
    { name: `find raw ordered read of the same ${total}`, value: percentile(rawMs, 50), unit: 'ms' },
    { name: 'find speed vs raw ordered read (raw time / find time)', value: speed, unit: 'x', goal: '>= 0.6x', ok: speed >= 0.6 },
    { name: `find heap growth during a search of ${total} (peak)`, value: growth / 1024 / 1024, unit: 'MB', goal: '<= 64 MB', ok: growth <= 64 * 1024 * 1024 },
  ];
}

async function traceFigures(session: NatsSession): Promise<Figure[]> {
  const jsm = await session.jetstreamManager();
  const names = Array.from({ length: TRACE_STREAMS }, (_, s) => `BENCH_TRACE_${s}`);
  for (const [s, name] of names.entries()) await jsm.streams.add({ name, subjects: [`trace${s}.>`] });
  // round-robin over the streams, so every stream spans the whole of S; the correlation's messages sit in the middle
  const js = session.jetstream();
  const middle = Math.floor(TRACE_MESSAGES / 2);
  const start = Date.now();
  await publishAll(js, TRACE_MESSAGES, i => `trace${i % TRACE_STREAMS}.domain.sales.order.placed.${i}`, i => event(i, SIZE, Math.abs(i - middle) < 200 && i % 7 === 0 ? CORRELATION : `c-${i}`));
  const span = Date.now() - start;
  // the origin: the stored time of the middle message
  const mid = await jsm.streams.getMessage(names[middle % TRACE_STREAMS]!, { seq: Math.floor(middle / TRACE_STREAMS) + 1 });
  const around = mid!.time;
  const windowMs = span / 48 / 2;
  const since = new Date(around.getTime() - windowMs);
  const until = new Date(around.getTime() + windowMs);
  const traceMs: number[] = [];
  const rawMs: number[] = [];
  let scanned = 0;
  let found = 0;
  let inWindow = 0;
  const trace = async () => {
    const r = await findCorrelation(session, { correlationId: CORRELATION, around, windowMs, streams: names, maxScanned: TRACE_MESSAGES });
    scanned = r.scanned;
    found = r.messages.length;
  };
  // every stream's window at once, each read by hand from the window's start until past its end
  const raw = async () => {
    const counts = await Promise.all(names.map(n => rawRead(session, n, { opt_start_time: since.toISOString() }, m => m.info.timestampNanos / 1e6 > until.getTime())));
    inWindow = counts.reduce((a, b) => a + b, 0);
  };
  await raw();
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    if (r % 2 === 0) {
      await raw();
      rawMs.push(performance.now() - t0);
      const t1 = performance.now();
      await trace();
      traceMs.push(performance.now() - t1);
    } else {
      await trace();
      traceMs.push(performance.now() - t0);
      const t1 = performance.now();
      await raw();
      rawMs.push(performance.now() - t1);
    }
  }
  const share = scanned / TRACE_MESSAGES;
  const windowShare = inWindow / TRACE_MESSAGES;
  const ratio = percentile(traceMs, 50) / percentile(rawMs, 50);
  return [
    { name: `trace over ${TRACE_STREAMS} streams of ${TRACE_MESSAGES.toLocaleString('en-US')} messages published over ${(span / 1000).toFixed(1)} s, window S/48 (${found} of the correlation found)`, value: percentile(traceMs, 50), unit: 'ms' },
    { name: 'trace raw read of just the window (every stream at once, by hand)', value: percentile(rawMs, 50), unit: 'ms' },
    { name: `trace share of all messages read (the window holds ${(100 * windowShare).toFixed(2)} %)`, value: 100 * share, unit: '%', goal: `<= ${(100 * windowShare + 5).toFixed(2)} %`, ok: share <= windowShare + 0.05 },
    { name: 'trace time vs raw read of the window', value: ratio, unit: 'x', goal: '<= 1.5x', ok: ratio <= 1.5 },
  ];
}
