// Upload and download of a 100 MB object: the product's streamed uploadFile / downloadObject (progress, cancel, digest
// checked, temp file renamed) against what a caller writes by hand with the client (obj.put of the file's stream,
// obj.get piped to a file), in the same run on a private nats-server; the heap each of ours takes.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, openSync, writeSync, closeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Objm, setSha256Backend } from '@nats-io/obj';
import { connectNats } from '../src/nats/connection/connect';
import { createObjectStore, downloadObject, uploadFile } from '../src/nats/obj';
import { startNatsServer } from '../dev/localServer';
import { HeapPeak, percentile, type Figure } from './lib';

const SIZE = 100 * 1024 * 1024;
const RUNS = 3;
const STORE = 'BENCH_FILES';

export async function run(): Promise<Figure[]> {
  const server = await startNatsServer();
  const session = await connectNats({ servers: server.url, timeoutMs: 30_000 });
  const dir = mkdtempSync(join(tmpdir(), 'cim-obj-bench-'));
  try {
    // both sides hash with Node's SHA-256 (the product chooses it; the raw side gets the same)
    setSha256Backend('native');
    const file = join(dir, 'payload.bin');
    const fd = openSync(file, 'w');
    const block = randomBytes(1024 * 1024);
    for (let i = 0; i < SIZE / block.length; i++) writeSync(fd, block);
    closeSync(fd);
    await createObjectStore(session, STORE);
    const os = await new Objm(session.jetstream()).open(STORE);

    const rawPut = async () => {
      const web = Readable.toWeb(createReadStream(file, { highWaterMark: 128 * 1024 })) as unknown as ReadableStream<Uint8Array>;
      await os.put({ name: 'raw.bin' }, web);
    };
    const rawGet = async () => {
      const r = await os.get('raw.bin');
      if (!r) throw new Error('raw.bin is missing');
      await pipeline(Readable.fromWeb(r.data as unknown as WebReadableStream<Uint8Array>), createWriteStream(join(dir, 'raw.out')) as Writable);
      const err = await r.error;
      if (err) throw err;
    };
    const ourPut = async () => void (await uploadFile(session, STORE, file, { name: 'ours.bin' }));
    const ourGet = async () => void (await downloadObject(session, STORE, 'ours.bin', join(dir, 'ours.out')));

    const timed = async (fn: () => Promise<void>): Promise<number> => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };
    // a warm-up round, then alternating runs
    await rawPut();
    await ourPut();
    const ms = { rawPut: [] as number[], ourPut: [] as number[], rawGet: [] as number[], ourGet: [] as number[] };
    for (let r = 0; r < RUNS; r++) {
      ms.rawPut.push(await timed(rawPut));
      ms.ourPut.push(await timed(ourPut));
      ms.rawGet.push(await timed(rawGet));
      ms.ourGet.push(await timed(ourGet));
    }
    // heap growth in runs of their own (the sampler interrupts every millisecond)
    const heap = new HeapPeak();
    let base = heap.start();
    await ourPut();
    const putPeak = heap.stop() - base;
    base = heap.start();
    await ourGet();
    const getPeak = heap.stop() - base;

    const med = (xs: number[]) => percentile(xs, 50);
    const mbps = (t: number) => SIZE / 1024 / 1024 / (t / 1000);
    const upRatio = mbps(med(ms.ourPut)) / mbps(med(ms.rawPut));
    const downRatio = mbps(med(ms.ourGet)) / mbps(med(ms.rawGet));
    const MB = 1024 * 1024;
    return [
      { name: 'obj upload 100 MB from disk (uploadFile)', value: mbps(med(ms.ourPut)), unit: 'MB/s' },
      { name: 'obj upload raw obj.put of the file stream', value: mbps(med(ms.rawPut)), unit: 'MB/s' },
      { name: 'obj upload vs raw obj.put (throughput)', value: upRatio, unit: 'x', goal: '>= 0.8x', ok: upRatio >= 0.8 },
      { name: 'obj download 100 MB to disk, digest checked (downloadObject)', value: mbps(med(ms.ourGet)), unit: 'MB/s' },
      { name: 'obj download raw obj.get piped to a file', value: mbps(med(ms.rawGet)), unit: 'MB/s' },
      { name: 'obj download vs raw obj.get (throughput)', value: downRatio, unit: 'x', goal: '>= 0.8x', ok: downRatio >= 0.8 },
      { name: 'obj upload heap growth (peak)', value: putPeak / MB, unit: 'MB', goal: '<= 64 MB', ok: putPeak <= 64 * MB },
      { name: 'obj download heap growth (peak)', value: getPeak / MB, unit: 'MB', goal: '<= 64 MB', ok: getPeak <= 64 * MB },
    ];
  } finally {
    await session.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
