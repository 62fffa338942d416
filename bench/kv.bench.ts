// Listing the keys of a bucket of 100,000 keys: the product's listKeys (one count, then a headers-only read of each
// key's last revision with its revision, time and size, sorted) against raw kv.keys() (names only), in the same run
// on a private nats-server; and the first page the explorer shows (200 keys).
import { Kvm } from '@nats-io/kv';
import { connectNats } from '../src/nats/connection/connect';
import { createBucket, listKeys } from '../src/nats/kv';
import { startNatsServer } from '../dev/localServer';
import { timeAsync, type Figure } from './lib';

const KEYS = 100_000;
const BUCKET = 'BENCH_KEYS';

export async function run(): Promise<Figure[]> {
  const server = await startNatsServer();
  const session = await connectNats({ servers: server.url, timeoutMs: 30_000 });
  try {
    await createBucket(session, BUCKET, { history: 1 });
    // filled with plain publishes (the stream stores them; no ack per key), then waited for
    const value = new TextEncoder().encode('{"status":"ok","n":12345}');
    for (let i = 0; i < KEYS; i++) session.nc.publish(`$KV.${BUCKET}.orders.${i}`, value);
    await session.nc.flush();
    const jsm = await session.jetstreamManager();
    for (let tries = 0; (await jsm.streams.info(`KV_${BUCKET}`)).state.messages < KEYS; tries++) {
      if (tries > 600) throw new Error('the bucket was not filled');
      await new Promise(r => setTimeout(r, 50));
    }
    const kv = await new Kvm(session.jetstream()).open(BUCKET);
    const raw = async () => {
      let n = 0;
      for await (const k of await kv.keys()) if (k) n++;
      if (n !== KEYS) throw new Error(`kv.keys() gave ${n} keys`);
    };
    const ours = async () => {
      const l = await listKeys(session, BUCKET, { limit: KEYS });
      if (l.keys.length !== KEYS) throw new Error(`listKeys gave ${l.keys.length} keys`);
    };
    const page = async () => void (await listKeys(session, BUCKET));
    const opts = { runs: 3, warmupRuns: 1 };
    const rawT = await timeAsync(raw, opts);
    const oursT = await timeAsync(ours, opts);
    const pageT = await timeAsync(page, opts);
    const ratio = oursT.medianMs / rawT.medianMs;
    return [
      { name: 'kv list 100,000 keys with revision, age and size (listKeys)', value: oursT.medianMs, unit: 'ms' },
      { name: 'kv list 100,000 key names, raw kv.keys()', value: rawT.medianMs, unit: 'ms' },
      { name: 'kv list keys vs raw kv.keys() (time)', value: ratio, unit: 'x', goal: '<= 1.3x', ok: ratio <= 1.3 },
      { name: 'kv first page of 200 keys of 100,000 (the explorer)', value: pageT.medianMs, unit: 'ms' },
    ];
  } finally {
    await session.close();
    await server.stop();
  }
}
