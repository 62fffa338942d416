// The tail pipeline against a raw client subscription of the same messages, on a private nats-server, in the same
// run: ingest up to the formatted batch (128 B and 1 KiB JSON), the event loop's delay while a 100,000 msgs/s
// firehose is tailed, and memory growth over a 1,000,000-message tail. Messages come from a child process, so the
// publisher's work is not measured as the tail's.
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connect } from '@nats-io/transport-node';
import { connectNats, type NatsSession } from '../src/nats/connection/connect';
import { startNatsServer } from '../dev/localServer';
import { startTail } from '../src/nats/tail/tail';
import { startTailInWorker } from '../src/nats/tail/workerTail';
import { percentile, type Figure } from './lib';

const RUNS = 3;
const INGEST = [
  // Small enough that what the server buffers for a subscriber that falls behind stays under its 64 MB pending limit.
  { size: 128, label: '128 B', count: 200_000 },
  { size: 1024, label: '1 KiB', count: 40_000 },
];
const FIREHOSE_RATE = 100_000;
const FIREHOSE_COUNT = 1_000_000;
const MB = 1024 * 1024;
/** Messages into a firehose after which the event loop is measured. */
const STEADY_AFTER = FIREHOSE_RATE;

interface PublishDone {
  sent: number;
  ms: number;
}

export async function run(): Promise<Figure[]> {
  const server = await startNatsServer();
  const session = await connectNats({ servers: server.url, timeoutMs: 30_000 });
  const figures: Figure[] = [];
  try {
    for (const { size, label, count } of INGEST) {
      const rates: Record<'raw' | 'all' | 'batched', number[]> = { raw: [], all: [], batched: [] };
      const once = async (kind: 'raw' | 'all' | 'batched') =>
        kind === 'raw' ? rawIngest(session, server.url, size, count) : tailIngest(session, server.url, size, count, kind === 'all');
      // A warm-up round, then rotating order so none always runs on a warmer server.
      const kinds = ['raw', 'all', 'batched'] as const;
      for (const k of kinds) await once(k);
      for (let r = 0; r < RUNS; r++) for (let i = 0; i < kinds.length; i++) {
        const k = kinds[(i + r) % kinds.length]!;
        rates[k].push(await once(k));
      }
      const raw = percentile(rates.raw, 50);
      const all = percentile(rates.all, 50);
      const batched = percentile(rates.batched, 50);
      figures.push(
        { name: `tail ingest ${label} JSON to its batches (default bounds: formatted or skipped and said), ratio to a raw subscription`, value: batched / raw, unit: 'x', goal: '≥ 0.5', ok: batched / raw >= 0.5 },
        // what formatting costs when nothing may be skipped: a diagnostic, not the tail (it formats at most 2,500 a second)
        { name: `tail ingest ${label} JSON with every message formatted (nothing skipped: the formatter's cost), ratio to a raw subscription`, value: all / raw, unit: 'x' },
        { name: `tail ingest ${label} JSON, every message formatted`, value: all, unit: 'msgs/s' },
        { name: `tail ingest ${label} JSON, raw client subscription`, value: raw, unit: 'msgs/s' },
      );
    }
    figures.push(...(await firehose(session, server.url)));
    figures.push(...(await workerFirehose(server.url)));
  } finally {
    await session.close();
    await server.stop();
  }
  return figures;
}

/** Messages per second a bare subscription callback takes in, first to last message. */
async function rawIngest(session: NatsSession, url: string, size: number, count: number): Promise<number> {
  const subject = `bench.raw.${size}`;
  let got = 0;
  let first = 0;
  let last = 0;
  const sub = session.nc.subscribe(subject, {
    callback: () => {
      if (got++ === 0) first = performance.now();
      last = performance.now();
    },
  });
  await session.nc.flush();
  await publish(url, subject, count, size, 0);
  await waitFor(() => got >= count, 60_000, () => `the raw subscription got ${got} of ${count}`);
  sub.unsubscribe();
  return (count - 1) / ((last - first) / 1000);
}

/**
 * Messages per second the tail takes in, first message to the last one accounted for: with `all`, every one formatted
 * into a batch (room for all, batches as large as needed); otherwise the default bounds, the rest skipped and said.
 */
async function tailIngest(session: NatsSession, url: string, size: number, count: number, all: boolean): Promise<number> {
  const subject = `bench.tail.${size}`;
  let first = 0;
  let last = 0;
  let lines = 0;
  const tail = await startTail(session, {
    pattern: subject,
    ...(all ? { batchIntervalMs: 20, maxBatchMessages: 5_000, maxBatchLines: 1_000_000, maxQueuedMessages: count } : {}),
    onBatch: batch => {
      lines += batch.length;
    },
  });
  const done = () => {
    const s = tail.stats();
    return all ? s.shown >= count : s.received >= count;
  };
  try {
    const sub = session.nc.subscribe(subject, { max: 1, callback: () => {
      first ||= performance.now();
    } });
    await session.nc.flush();
    const published = publish(url, subject, count, size, 0);
    await waitFor(() => {
      if (done()) last ||= performance.now();
      return last > 0;
    }, 120_000, () => `the tail took in ${tail.stats().received} and showed ${tail.stats().shown} of ${count}`);
    await published;
    sub.unsubscribe();
    if (all && tail.stats().skipped > 0) throw new Error(`the tail skipped ${tail.stats().skipped} messages with room for all of them`);
    if (all && lines < count) throw new Error(`only ${lines} lines for ${count} messages`);
  } finally {
    await tail.stop();
  }
  const s = tail.stats();
  if (s.shown + s.skipped !== count) throw new Error(`shown ${s.shown} + skipped ${s.skipped} is not ${count}`);
  return (count - 1) / ((last - first) / 1000);
}

/** The event loop's delay p99 (ms) with only a bare subscription taking in the same firehose: what the machine alone costs. */
async function rawFirehoseDelay(session: NatsSession, url: string, count: number): Promise<number> {
  const subject = 'bench.rawfire.x';
  let got = 0;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const sub = session.nc.subscribe(subject, {
    callback: () => {
      if (++got === STEADY_AFTER) delay.enable();
    },
  });
  await session.nc.flush();
  const done = await publish(url, subject, count, 128, FIREHOSE_RATE);
  await waitFor(() => got >= done.sent, 60_000, () => `the raw subscription got ${got} of ${done.sent}`);
  delay.disable();
  sub.unsubscribe();
  return delay.percentile(99) / 1e6;
}

/** A tail with the default settings under a firehose: event-loop delay, the rate reached, memory growth. */
async function firehose(session: NatsSession, url: string): Promise<Figure[]> {
  const baseline = await rawFirehoseDelay(session, url, FIREHOSE_COUNT / 4);
  const gc = exposeGc();
  const subject = 'bench.fire.x';
  let lines = 0;
  let maxBatch = 0;
  const tail = await startTail(session, {
    pattern: 'bench.fire.>',
    onBatch: batch => {
      lines += batch.length;
      maxBatch = Math.max(maxBatch, batch.length);
    },
  });
  try {
    await session.nc.flush();
    gc();
    const before = memory();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, memory())), 100);
    // Steady state: from the first second's worth of messages on (before it the child process starts, the JIT warms).
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const whole = monitorEventLoopDelay({ resolution: 10 });
    whole.enable();
    const steady = setInterval(() => {
      if (tail.stats().received < STEADY_AFTER) return;
      delay.enable();
      clearInterval(steady);
    }, 5);
    const done = await publish(url, subject, FIREHOSE_COUNT, 128, FIREHOSE_RATE);
    await waitFor(() => tail.stats().received >= done.sent, 60_000, () => `the tail received ${tail.stats().received} of ${done.sent}`);
    clearInterval(steady);
    delay.disable();
    whole.disable();
    clearInterval(sampler);
    gc();
    const after = memory();
    const s = tail.stats();
    const rate = done.sent / (done.ms / 1000);
    if (s.shown + s.skipped + s.queued !== s.received) throw new Error(`the counts do not add up: ${JSON.stringify(s)}`);
    const p99 = delay.percentile(99) / 1e6;
    return [
      { name: `tail firehose publish rate reached (one child process, target 100,000)`, value: rate, unit: 'msgs/s' },
      { name: 'tail event-loop delay p99 while an in-thread tail takes the firehose (steady state; the extension tails in a worker)', value: p99, unit: 'ms' },
      { name: 'tail event-loop delay p99 with a bare subscription on the same firehose (the machine\'s share)', value: baseline, unit: 'ms' },
      { name: 'tail event-loop delay max over the whole firehose, its start included', value: whole.max / 1e6, unit: 'ms' },
      { name: `tail memory growth over a 1,000,000-message tail (heap + buffers, after GC)`, value: (after - before) / MB, unit: 'MB', goal: '< 50 MB', ok: (after - before) / MB < 50 },
      { name: 'tail memory peak above the start during the firehose (heap + buffers)', value: (peak - before) / MB, unit: 'MB' },
      { name: 'tail firehose messages shown (the rest skipped and said)', value: s.shown, unit: 'msgs' },
      { name: 'tail firehose largest batch', value: maxBatch, unit: 'lines' },
    ];
  } finally {
    await tail.stop();
    void lines;
  }
}

/**
 * The extension's tail: in a worker thread, on its own connection. The host thread's event-loop delay while the worker
 * takes the same firehose, and the host's memory (the worker's heap is its own, bounded by the same queue).
 */
async function workerFirehose(url: string): Promise<Figure[]> {
  const gc = exposeGc();
  let batches = 0;
  const tail = await startTailInWorker({ servers: url }, { pattern: 'bench.wfire.>' }, {
    workerFile: path.resolve(__dirname, '../src/nats/tail/tailWorker.js'),
    keepMessages: 20,
    onBatch: () => void batches++,
  });
  try {
    gc();
    const before = memory();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const steady = setInterval(() => {
      if (tail.stats().received < STEADY_AFTER) return;
      delay.enable();
      clearInterval(steady);
    }, 5);
    const done = await publish(url, 'bench.wfire.x', FIREHOSE_COUNT, 128, FIREHOSE_RATE);
    await waitFor(() => tail.stats().received >= done.sent, 60_000, () => `the worker's tail received ${tail.stats().received} of ${done.sent}`);
    clearInterval(steady);
    delay.disable();
    gc();
    const after = memory();
    const s = tail.stats();
    const p99 = delay.percentile(99) / 1e6;
    return [
      { name: 'tail event-loop delay p99 of the host while the worker-thread tail takes the firehose (the extension\'s tail)', value: p99, unit: 'ms', goal: '< 50 ms', ok: p99 < 50 },
      { name: 'tail host memory growth over a 1,000,000-message worker-thread tail (after GC)', value: (after - before) / MB, unit: 'MB', goal: '< 50 MB', ok: (after - before) / MB < 50 },
      { name: 'tail worker-thread firehose messages shown (the rest skipped and said)', value: s.shown, unit: 'msgs' },
      { name: 'tail worker-thread firehose batches handed to the host', value: batches, unit: '' },
    ];
  } finally {
    await tail.stop();
  }
}

function memory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return () => gc?.();
}

async function waitFor(cond: () => boolean, ms: number, what: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out: ${what()}`);
    await new Promise(resolve => setTimeout(resolve, 2));
  }
}

/** Publishes from a child process: `count` JSON messages of `size` bytes, at `rate` per second (0: as fast as it can). */
function publish(url: string, subject: string, count: number, size: number, rate: number): Promise<PublishDone> {
  return new Promise<PublishDone>((resolve, reject) => {
    const child: ChildProcess = fork(__filename, ['--publish', url, subject, String(count), String(size), String(rate)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: PublishDone | undefined;
    child.once('message', m => (result = m as PublishDone));
    child.once('error', reject);
    child.once('exit', code => (result && code === 0 ? resolve(result) : reject(new Error(`the publisher exited with ${code}`))));
  });
}

function jsonPayload(size: number, n: number): Uint8Array {
  const head = `{"event_id":"550e8400-e29b-41d4-a716-${String(n % 1e12).padStart(12, '0')}","n":${n},"pad":"`;
  const text = head + 'x'.repeat(Math.max(0, size - head.length - 2)) + '"}';
  return new TextEncoder().encode(text);
}

async function publisher(): Promise<void> {
  const [url, subject, countText, sizeText, rateText] = process.argv.slice(3) as [string, string, string, string, string];
  const count = Number(countText);
  const rate = Number(rateText);
  const payloads = Array.from({ length: 64 }, (_, i) => jsonPayload(Number(sizeText), i));
  const nc = await connect({ servers: url, name: 'cim-nats-bench-publisher' });
  const start = performance.now();
  let sent = 0;
  while (sent < count) {
    // At a rate: publish what the clock allows, then let the socket drain; as fast as possible: chunks of 1,000.
    const due = rate > 0 ? Math.min(count, Math.floor(((performance.now() - start) / 1000) * rate)) : Math.min(count, sent + 1000);
    for (; sent < due; sent++) nc.publish(subject, payloads[sent % 64]!);
    if (sent % 10_000 < 1000 || rate > 0) await nc.flush();
    else await new Promise(resolve => setImmediate(resolve));
    if (rate > 0 && sent < count && due === sent) await new Promise(resolve => setTimeout(resolve, 1));
  }
  await nc.flush();
  const ms = performance.now() - start;
  await nc.close();
  process.send?.({ sent, ms } satisfies PublishDone);
}

if (require.main === module && process.argv[2] === '--publish') {
  publisher().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
