// Export of a whole stream of 100,000 messages of 1 KiB (JSON events) against a bare ordered read of the same
// messages, in the same run on a private nats-server; the reader's pages for comparison; the heap it takes.
import type { JsMsg } from '@nats-io/jetstream';
import { messageAsJsonLine } from '../src/core/message/format';
import type { ViewedMessage } from '../src/core/message/types';
import { connectNats } from '../src/nats/connection/connect';
import { exportMessages } from '../src/nats/read/export';
import { startNatsServer } from '../dev/localServer';
import { HeapPeak, percentile, type Figure } from './lib';

const STREAM = 'BENCH_EXPORT';
const MESSAGES = 100_000;
const SIZE = 1024;
const RUNS = 5;
const IN_FLIGHT = 256;

/** A CIM event of about `size` bytes. */
function event(i: number, size: number): Uint8Array {
  const head = { event_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, timestamp: '2026-12-01T09:30:00.000Z', data: { order: i, note: '' }, metadata: { source: 'bench' } };
  const text = JSON.stringify(head);
  head.data.note = 'x'.repeat(Math.max(0, size - text.length));
  return new TextEncoder().encode(JSON.stringify(head));
}

export async function run(): Promise<Figure[]> {
  const server = await startNatsServer();
  const session = await connectNats({ servers: server.url, timeoutMs: 30_000 });
  try {
    const jsm = await session.jetstreamManager();
    const js = session.jetstream();
    await jsm.streams.add({ name: STREAM, subjects: ['bench.export.>'] });
    for (let i = 0; i < MESSAGES; i += IN_FLIGHT) {
      await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, MESSAGES - i) }, (_, k) => js.publish(`bench.export.${(i + k) % 16}`, event(i + k, SIZE), { msgID: `m-${i + k}` })));
    }

    // What a caller would write by hand to read every message: an ordered consumer consumed to the end, deleted after.
    const raw = async (): Promise<number> => {
      const c = await js.consumers.get(STREAM);
      let count = 0;
      let bytes = 0;
      try {
        const iter = await c.consume();
        for await (const m of iter as AsyncIterable<JsMsg>) {
          count++;
          bytes += m.data.length;
          if (m.info.pending === 0) break;
        }
        iter.stop();
      } finally {
        await c.delete().catch(() => undefined);
      }
      if (bytes === 0) throw new Error('read nothing');
      return count;
    };
    let written = 0;
    const exporter = (method: 'auto' | 'reader') => async (): Promise<number> => {
      const r = await exportMessages(session, { stream: STREAM, method, write: line => void (written += line.length) });
      return r.exported;
    };

    const heap = new HeapPeak();
    const measure = async (fn: () => Promise<number>, track = false): Promise<{ ms: number; peak: number }> => {
      const base = track ? heap.start() : 0;
      const t0 = performance.now();
      const count = await fn();
      const ms = performance.now() - t0;
      const peak = track ? heap.stop() - base : 0;
      if (count !== MESSAGES) throw new Error(`read ${count} of ${MESSAGES} messages`);
      return { ms, peak };
    };
    // The first round warms the JIT and the server's caches; the order alternates.
    await measure(raw);
    await measure(exporter('auto'));
    const rawMs: number[] = [];
    const exportMs: number[] = [];
    const readerMs: number[] = [];
    let exportPeak = 0;
    for (let r = 0; r < RUNS; r++) {
      // timed without the heap sampler (it interrupts every millisecond), which has runs of its own below
      const e = async () => void exportMs.push((await measure(exporter('auto'))).ms);
      if (r % 2 === 0) {
        rawMs.push((await measure(raw)).ms);
        await e();
      } else {
        await e();
        rawMs.push((await measure(raw)).ms);
      }
    }
    for (let r = 0; r < RUNS; r++) exportPeak = Math.max(exportPeak, (await measure(exporter('auto'), true)).peak);
    readerMs.push((await measure(exporter('reader'))).ms);
    // The shared formatter alone on the same kind of message: what an export costs beyond reading.
    const sample: ViewedMessage = { seq: 1, time: new Date(), subject: 'bench.export.1', headers: [['Nats-Msg-Id', 'm-1']], data: event(1, SIZE), size: SIZE };
    const formatMs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      for (let i = 0; i < MESSAGES; i++) written += messageAsJsonLine(sample).length;
      formatMs.push(performance.now() - t0);
    }
    const formatMedian = percentile(formatMs, 50);
    const rawMedian = percentile(rawMs, 50);
    const exportMedian = percentile(exportMs, 50);
    const ratio = exportMedian / rawMedian;
    const total = `${MESSAGES.toLocaleString('en-US')} × 1 KiB`;
    return [
      { name: `export all ${total} (limits stream, ordered consumer, JSON lines)`, value: exportMedian, unit: 'ms' },
      { name: `export raw ordered consume of the same ${total}, no formatting`, value: rawMedian, unit: 'ms' },
      { name: 'export vs raw ordered read', value: ratio, unit: 'x', goal: '<= 1.5x', ok: ratio <= 1.5 },
      { name: `export messageAsJsonLine alone, ${total} JSON events`, value: formatMedian, unit: 'ms' },
      { name: 'export without the formatter vs raw ordered read ((export - formatting) / raw)', value: (exportMedian - formatMedian) / rawMedian, unit: 'x' },
      { name: `export through readMessages pages (work-queue and interest streams' way), same ${total}`, value: readerMs[0]!, unit: 'ms' },
      { name: `export heap growth during an export of ${total} (peak)`, value: exportPeak / 1024 / 1024, unit: 'MB', goal: '<= 64 MB', ok: exportPeak <= 64 * 1024 * 1024 },
      { name: 'export heap used (peak, whole process)', value: heap.max / 1024 / 1024, unit: 'MB' },
    ];
  } finally {
    await session.close();
    await server.stop();
  }
}
