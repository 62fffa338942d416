// The shared reader against the bare client calls that read the same messages: the last 1,000 of a stream of
// 100,000 messages of 1 KiB, on a private nats-server, in the same run.
import type { JsMsg } from '@nats-io/jetstream';
import { connectNats } from '../src/nats/connection/connect';
import { startNatsServer } from '../dev/localServer';
import { readMessages } from '../src/nats/read/reader';
import { HeapPeak, percentile, type Figure } from './lib';

const STREAM = 'BENCH_READER';
const MESSAGES = 100_000;
const SIZE = 1024;
const LAST = 1000;
const RUNS = 15;
const IN_FLIGHT = 256;

export async function run(): Promise<Figure[]> {
  const server = await startNatsServer();
  const session = await connectNats({ servers: server.url, timeoutMs: 30_000 });
  try {
    const jsm = await session.jetstreamManager();
    const js = session.jetstream();
    await jsm.streams.add({ name: STREAM, subjects: ['bench.read.>'] });
    const payload = new Uint8Array(SIZE).fill(120);
    for (let i = 0; i < MESSAGES; i += IN_FLIGHT) {
      await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, MESSAGES - i) }, (_, k) => js.publish(`bench.read.${(i + k) % 16}`, payload)));
    }

    // What a caller would write by hand for the same messages: the facts' recipe, consumer deleted after.
    const raw = async (): Promise<number[]> => {
      const { state } = await jsm.streams.info(STREAM);
      const c = await js.consumers.get(STREAM, { opt_start_seq: state.last_seq - LAST + 1 });
      const got: JsMsg[] = [];
      try {
        const iter = await c.fetch({ max_messages: LAST, expires: 5000 });
        for await (const m of iter) if (got.push(m) >= LAST) break;
      } finally {
        await c.delete();
      }
      return got.map(m => m.seq);
    };
    const reader = async (): Promise<number[]> => (await readMessages(session, { stream: STREAM, from: { last: LAST }, max: LAST })).messages.map(m => m.seq!);

    const [a, b] = [await raw(), await reader()];
    if (a.length !== LAST || a.join() !== b.join()) throw new Error(`the reader read other messages than the client calls (${b.length} vs ${a.length})`);

    const heap = new HeapPeak();
    const rawMs: number[] = [];
    const readerMs: number[] = [];
    let readerPeak = 0;
    const timeRaw = async () => {
      const t0 = performance.now();
      await raw();
      return performance.now() - t0;
    };
    const timeReader = async () => {
      const base = heap.start();
      const t0 = performance.now();
      await reader();
      const ms = performance.now() - t0;
      readerPeak = Math.max(readerPeak, heap.stop() - base);
      return ms;
    };
    // The first pair warms the JIT and the server's caches; the order alternates, so neither always follows the other's cleanup.
    await timeRaw();
    await timeReader();
    for (let r = 0; r < RUNS; r++) {
      if (r % 2 === 0) {
        rawMs.push(await timeRaw());
        readerMs.push(await timeReader());
      } else {
        readerMs.push(await timeReader());
        rawMs.push(await timeRaw());
      }
    }
    const rawMedian = percentile(rawMs, 50);
    const readerMedian = percentile(readerMs, 50);
    const ratio = readerMedian / rawMedian;
    return [
      { name: `reader last ${LAST.toLocaleString('en-US')} of ${MESSAGES.toLocaleString('en-US')} × 1 KiB (limits stream)`, value: readerMedian, unit: 'ms' },
      { name: 'reader raw client calls (info, ordered consumer, fetch, delete), same messages', value: rawMedian, unit: 'ms' },
      { name: 'reader vs raw client calls', value: ratio, unit: 'x', goal: '<= 1.5x', ok: ratio <= 1.5 },
      { name: `reader heap growth during a read of ${LAST.toLocaleString('en-US')} (peak)`, value: readerPeak / 1024 / 1024, unit: 'MB' },
      { name: 'reader heap used (peak, whole process)', value: heap.max / 1024 / 1024, unit: 'MB' },
    ];
  } finally {
    await session.close();
    await server.stop();
  }
}
