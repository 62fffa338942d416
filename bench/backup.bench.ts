// Backup and restore of a stream of 100,000 messages of 1 KiB against a raw snapshot read (every chunk acked, the
// bytes kept in memory) and a raw restore (the same bytes sent from memory), in the same run on a private nats-server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInbox } from '@nats-io/transport-node';
import { backupStream } from '../src/nats/backup/snapshot';
import { restoreStream } from '../src/nats/backup/restore';
import { connectNats, type NatsSession } from '../src/nats/connection/connect';
import { startNatsServer } from '../dev/localServer';
import { percentile, seededRandom, type Figure } from './lib';

const STREAM = 'BENCH_BACKUP';
const MESSAGES = 100_000;
const SIZE = 1024;
const RUNS = 3;
const IN_FLIGHT = 256;
const CHUNK = 128 * 1024;

const random = seededRandom(15);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A JSON event of 1 KiB whose note is random text: compression does not hide the bytes. */
function payload(i: number): Uint8Array {
  const head = JSON.stringify({ event_id: `ev-${i}`, data: { order: i }, note: '' });
  let note = '';
  for (let k = head.length; k < SIZE; k++) note += ALPHABET[Math.floor(random() * 64)];
  return new TextEncoder().encode(head.replace('"note":""', `"note":"${note}"`).slice(0, SIZE));
}

/** What a caller would write by hand: the snapshot request, every chunk acked, the bytes kept. */
async function rawSnapshot(session: NatsSession): Promise<{ bytes: Buffer; meta: { config: unknown; state: unknown } }> {
  const inbox = createInbox();
  const chunks: Uint8Array[] = [];
  const done = new Promise<void>(resolve => session.nc.subscribe(inbox, { callback: (_e, m) => {
    if (!m.data.length) return resolve();
    chunks.push(m.data);
    if (m.reply) m.respond();
  } }));
  const meta = (await session.nc.request(`$JS.API.STREAM.SNAPSHOT.${STREAM}`, JSON.stringify({ deliver_subject: inbox, chunk_size: CHUNK }), { timeout: 30_000 })).json<{ config: unknown; state: unknown }>();
  await done;
  return { bytes: Buffer.concat(chunks), meta };
}

async function rawRestore(session: NatsSession, bytes: Buffer, meta: { config: unknown; state: unknown }): Promise<void> {
  const reply = (await session.nc.request(`$JS.API.STREAM.RESTORE.${STREAM}`, JSON.stringify({ config: meta.config, state: meta.state }), { timeout: 30_000 })).json<{ deliver_subject: string; error?: unknown }>();
  if (reply.error) throw new Error(`raw restore refused: ${JSON.stringify(reply.error)}`);
  for (let o = 0; o < bytes.length; o += CHUNK) await session.nc.request(reply.deliver_subject, bytes.subarray(o, o + CHUNK), { timeout: 30_000 });
  const end = (await session.nc.request(reply.deliver_subject, new Uint8Array(0), { timeout: 600_000 })).json<{ error?: unknown }>();
  if (end.error) throw new Error(JSON.stringify(end.error));
}

export async function run(): Promise<Figure[]> {
  const server = await startNatsServer();
  const session = await connectNats({ servers: server.url, timeoutMs: 30_000 });
  const work = await mkdtemp(join(tmpdir(), 'cim-bench-backup-'));
  try {
    const jsm = await session.jetstreamManager();
    const js = session.jetstream();
    await jsm.streams.add({ name: STREAM, subjects: ['bench.backup.>'] });
    for (let i = 0; i < MESSAGES; i += IN_FLIGHT) {
      await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, MESSAGES - i) }, (_, k) => js.publish(`bench.backup.${(i + k) % 16}`, payload(i + k))));
    }
    const version = session.nc.info?.version ?? '?';
    const rawMs: number[] = [];
    const oursMs: number[] = [];
    const rawRestoreMs: number[] = [];
    const oursRestoreMs: number[] = [];
    let raw = await rawSnapshot(session);
    let n = 0;
    let dir = '';
    for (let r = 0; r < RUNS; r++) {
      let t0 = performance.now();
      raw = await rawSnapshot(session);
      rawMs.push(performance.now() - t0);
      dir = join(work, `b${++n}`);
      t0 = performance.now();
      await backupStream(session, { stream: STREAM, dir });
      oursMs.push(performance.now() - t0);

      await jsm.streams.delete(STREAM);
      t0 = performance.now();
      await rawRestore(session, raw.bytes, raw.meta);
      rawRestoreMs.push(performance.now() - t0);
      await jsm.streams.delete(STREAM);
      t0 = performance.now();
      const restored = await restoreStream(session, { dir });
      oursRestoreMs.push(performance.now() - t0);
      if (restored.state.messages !== MESSAGES) throw new Error(`restored ${restored.state.messages} of ${MESSAGES}`);
    }
    const [rawB, ourB, rawR, ourR] = [rawMs, oursMs, rawRestoreMs, oursRestoreMs].map(s => percentile(s, 50)) as [number, number, number, number];
    const mb = raw.bytes.length / 1024 / 1024;
    return [
      { name: `backup of ${MESSAGES} × 1 KiB (nats-server ${version}, ${mb.toFixed(1)} MB snapshot)`, value: ourB, unit: 'ms' },
      { name: `backup raw snapshot read of the same (in memory)`, value: rawB, unit: 'ms' },
      { name: `backup speed vs raw snapshot read (nats-server ${version})`, value: rawB / ourB, unit: 'x', goal: '>= 0.8x', ok: rawB / ourB >= 0.8 },
      { name: `restore of the same ${MESSAGES} (nats-server ${version})`, value: ourR, unit: 'ms' },
      { name: `restore raw, the same bytes from memory`, value: rawR, unit: 'ms' },
      { name: `restore speed vs raw restore (nats-server ${version})`, value: rawR / ourR, unit: 'x', goal: '>= 0.8x', ok: rawR / ourR >= 0.8 },
    ];
  } finally {
    await session.close();
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}
