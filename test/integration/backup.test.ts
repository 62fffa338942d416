// Backup and restore on a real nats-server: a round trip brings back the same sequences, times, subjects, headers,
// payloads and gaps, and the consumers at their ack floors; an existing stream is refused and left as it was; a
// cancelled backup leaves nothing that looks whole; a V2 archive meets an older server with a sentence, not a failure.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AckPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { createInbox, headers as natsHeaders } from '@nats-io/transport-node';
import { connectNats, type NatsSession } from '../../src/nats/connection/connect';
import { NatsUserError } from '../../src/nats/errors/sentences';
import { backupStream, restoreStream, readBackupDirectory, type BackupProgress } from '../../src/nats/backup';
import { versionAtLeast } from '../../src/nats/explorer/jsApi';
import { startNatsServer } from '../../dev/localServer';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';

const SID_SERVER = join(__dirname, '../../../.cache/nats-servers/sid/nats-server');
const DEBIAN_SERVER = '/usr/sbin/nats-server';

interface Kept { seq: number; subject: string; time: string; headers: [string, string[]][]; data: string }

/** Every message of a stream as a reader sees it, gaps included (a missing sequence is absent from the list). */
async function contents(jsm: JetStreamManager, stream: string): Promise<Kept[]> {
  const { state } = await jsm.streams.info(stream);
  const out: Kept[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    if (!m) continue;
    out.push({ seq: m.seq, subject: m.subject, time: m.timestamp, headers: m.header ? [...m.header.keys()].map(k => [k, m.header.values(k)]) : [], data: m.string() });
  }
  return out;
}

async function consumerState(jsm: JetStreamManager, stream: string, name: string) {
  const c = await jsm.consumers.info(stream, name);
  return { durable: c.config.durable_name, ack_policy: c.config.ack_policy, filter: c.config.filter_subject, ack_floor: c.ack_floor.stream_seq };
}

async function fillStream(session: NatsSession, stream: string, count: number, storage: 'file' | 'memory' = 'file'): Promise<void> {
  const jsm = await session.jetstreamManager();
  await jsm.streams.add({ name: stream, subjects: [`${stream}.>`], storage });
  const js = session.jetstream();
  for (let i = 1; i <= count; i++) {
    const h = natsHeaders();
    h.set('Nats-Msg-Id', `${stream}-${i}`);
    h.set('X-Order', String(i));
    await js.publish(`${stream}.order.${i % 3}`, JSON.stringify({ i, text: 'é'.repeat(i) }), { headers: h });
  }
}

/** A raw snapshot taken without our code, written as jsm.go's SnapshotToDirectory does (data always named stream.tar.s2). */
async function rawSnapshot(session: NatsSession, stream: string, dir: string): Promise<void> {
  const nc = session.nc;
  const inbox = createInbox();
  const chunks: Uint8Array[] = [];
  const done = new Promise<void>(resolve => nc.subscribe(inbox, { callback: (_e, m) => {
    if (!m.data.length) return resolve();
    chunks.push(m.data);
    if (m.reply) m.respond();
  } }));
  const reply = (await nc.request(`$JS.API.STREAM.SNAPSHOT.${stream}`, JSON.stringify({ deliver_subject: inbox }))).json<{ config: unknown; state: unknown }>();
  await done;
  await writeFile(join(dir, 'stream.tar.s2'), Buffer.concat(chunks));
  await writeFile(join(dir, 'backup.json'), JSON.stringify({ config: reply.config, state: reply.state }, null, '  '));
}

describe('backing up and restoring streams', function () {
  this.timeout(120_000);
  const nats = useNatsServer({ session: true });
  let session: NatsSession;
  let jsm: JetStreamManager;
  let work: string;
  let n = 0;
  const name = () => `BK${Date.now() % 100000}_${++n}`;

  before(async () => {
    session = nats.session;
    jsm = await nats.jsm();
    work = await mkdtemp(join(tmpdir(), 'cim-backup-'));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('brings back the same sequences, times, subjects, headers, payloads and gap, and the consumer at its ack floor', async () => {
    const stream = name();
    await fillStream(session, stream, 12);
    await jsm.streams.deleteMessage(stream, 5);
    await jsm.consumers.add(stream, { durable_name: 'billing', ack_policy: AckPolicy.Explicit, filter_subject: `${stream}.>` });
    const c = await session.jetstream().consumers.get(stream, 'billing');
    const batch = await c.fetch({ max_messages: 6, expires: 2_000 });
    for await (const m of batch) {
      if (m.seq <= 7) m.ack();
    }
    const before = await contents(jsm, stream);
    const consumerBefore = await eventually('the consumer to reach its ack floor', async () => {
      const s = await consumerState(jsm, stream, 'billing');
      return s.ack_floor === 7 ? s : undefined;
    });
    const dir = join(work, stream);
    const seen: BackupProgress[] = [];
    const backup = await backupStream(session, { stream, dir, onProgress: p => seen.push(p) });
    const expected = versionAtLeast(session.nc.info?.version, 2, 15) ? 'stream.arc.s2' : 'stream.tar.s2';
    assert.equal(backup.file, expected);
    assert.deepEqual((await readdir(dir)).sort(), ['backup.json', expected].sort());
    assert.ok(seen.at(-1)!.bytes === backup.bytes && backup.bytes > 0 && seen.at(-1)!.streamBytes > 0, 'progress ends at the bytes received, against the stream size');
    const meta = JSON.parse(await readFile(join(dir, 'backup.json'), 'utf8')) as { config: { name: string }; state: { last_seq: number; num_deleted: number } };
    assert.equal(meta.config.name, stream);
    assert.equal(meta.state.last_seq, 12);

    await jsm.streams.delete(stream);
    const restored = await restoreStream(session, { dir });
    assert.equal(restored.stream, stream);
    assert.deepEqual(restored.consumers, ['billing']);
    assert.equal(restored.state.first_seq, 1);
    assert.equal(restored.state.last_seq, 12);
    assert.deepEqual(await contents(jsm, stream), before);
    assert.ok(!before.some(m => m.seq === 5), 'the deleted message stays a gap');
    assert.deepEqual(await consumerState(jsm, stream, 'billing'), consumerBefore);
  });

  it('refuses to restore over an existing stream and leaves it as it was', async () => {
    const stream = name();
    await fillStream(session, stream, 3);
    const dir = join(work, stream);
    await backupStream(session, { stream, dir, consumers: false });
    await session.jetstream().publish(`${stream}.order.9`, 'after the backup');
    const before = await contents(jsm, stream);
    await assert.rejects(restoreStream(session, { dir }), (e: Error) => {
      assert.ok(e instanceof NatsUserError);
      assert.match(e.message, new RegExp(`stream ${stream} already exists on .* \\(it holds 4 messages\\): a restore .* is refused and ${stream} is left as it is\\. Delete ${stream} first`));
      return true;
    });
    assert.deepEqual(await contents(jsm, stream), before);
  });

  it('backs up a memory stream where the server can, and says what to do instead where it cannot', async () => {
    const stream = name();
    await fillStream(session, stream, 4, 'memory');
    const dir = join(work, stream);
    if (!versionAtLeast(session.nc.info?.version, 2, 15)) {
      await assert.rejects(backupStream(session, { stream, dir }), (e: Error) => {
        assert.ok(e instanceof NatsUserError);
        assert.match(e.message, new RegExp(`cannot snapshot ${stream}, a memory stream .*Export Messages… \\(\`cim-nats export\``));
        return true;
      });
      assert.equal(existsSync(dir), false, 'no folder is left behind');
      return;
    }
    const before = await contents(jsm, stream);
    await backupStream(session, { stream, dir });
    await jsm.streams.delete(stream);
    const restored = await restoreStream(session, { dir });
    assert.equal(restored.config.storage, 'memory');
    assert.deepEqual(await contents(jsm, stream), before);
  });

  it('a cancelled backup leaves no folder that looks like a backup, and the next one works', async () => {
    const stream = name();
    await fillStream(session, stream, 200);
    const dir = join(work, stream);
    const abort = new AbortController();
    await assert.rejects(backupStream(session, { stream, dir, chunkSize: 1024, signal: abort.signal, onProgress: p => (p.bytes > 0 ? abort.abort() : undefined) }), (e: Error) => e.name === 'AbortError');
    assert.equal(existsSync(dir), false, 'the folder the backup created is gone');
    await writeFile(join(work, 'placeholder'), '');
    const again = new AbortController();
    await assert.rejects(backupStream(session, { stream, dir: work, chunkSize: 1024, signal: again.signal, onProgress: p => (p.bytes > 0 ? again.abort() : undefined) }), (e: Error) => e.name === 'AbortError');
    assert.deepEqual((await readdir(work)).filter(f => /backup\.json|\.s2/.test(f)), [], 'a folder that existed keeps only what it had');
    await rm(join(work, 'placeholder'));
    const done = await backupStream(session, { stream, dir });
    assert.ok(done.bytes > 0);
    await assert.rejects(backupStream(session, { stream, dir }), /already holds a backup \(backup\.json, stream\.(arc|tar)\.s2\): choose a new or an empty folder/);
  });

  it('a cancelled restore creates no stream, and a restore after it does', async () => {
    const stream = name();
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
    // 2 MB that do not compress: the backup is many chunks, and the cancel comes while most are unsent
    for (let i = 0; i < 1000; i++) await session.jetstream().publish(`${stream}.blob`, randomBytes(2048));
    const dir = join(work, stream);
    const backup = await backupStream(session, { stream, dir });
    assert.ok(backup.bytes > 1_500_000, `the backup is ${backup.bytes} bytes`);
    await jsm.streams.delete(stream);
    const abort = new AbortController();
    await assert.rejects(restoreStream(session, { dir, signal: abort.signal, onProgress: p => (p.bytes > 0 ? abort.abort() : undefined) }), (e: Error) => {
      assert.equal(e.name, 'AbortError');
      assert.match(e.message, new RegExp(`^The restore of ${stream} was cancelled after .* of .*: the server discards an unfinished restore, so ${stream} was not created\\.$`));
      return true;
    });
    await assert.rejects(jsm.streams.info(stream), /stream not found/);
    const again = await eventually('a restore once the server dropped the cancelled one', () => restoreStream(session, { dir }).catch(() => undefined), 30_000);
    assert.equal(again.state.messages, 1000);
  });

  it('says what a folder lacks when it is not a backup', async () => {
    const dir = join(work, 'not-a-backup');
    await assert.rejects(restoreStream(session, { dir }), /not-a-backup does not exist/);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
    await writeFile(join(dir, 'stream.tar.s2.partial'), 'x');
    await writeFile(join(dir, 'backup.json'), '{"config":{"name":"X"},"state":{"last_seq":1}}');
    await assert.rejects(restoreStream(session, { dir }), /is not a stream backup: its snapshot file \(stream\.tar\.s2 or stream\.arc\.s2\) is missing: a backup that did not finish left only a \.partial file/);
    await rm(join(dir, 'backup.json'));
    await writeFile(join(dir, 'stream.tar.s2'), 'plain text');
    await assert.rejects(restoreStream(session, { dir }), /is not a stream backup: backup\.json \(the stream's configuration and state\) is missing/);
  });

  it('reads a folder laid out as jsm.go writes it (backup.json and stream.tar.s2, whatever the archive inside)', async () => {
    const stream = name();
    await fillStream(session, stream, 5);
    const before = await contents(jsm, stream);
    const dir = join(work, `${stream}-natscli`);
    await mkdir(dir);
    await rawSnapshot(session, stream, dir);
    const read = await readBackupDirectory(dir);
    assert.equal(read.format, versionAtLeast(session.nc.info?.version, 2, 15) ? 'arc' : 'tar');
    await jsm.streams.delete(stream);
    await restoreStream(session, { dir });
    assert.deepEqual(await contents(jsm, stream), before);
  });

  it('a 2.15 archive meets a 2.9 server with a sentence, and a 2.9 backup restores on 2.15', async function () {
    if (!existsSync(SID_SERVER) || !existsSync(DEBIAN_SERVER)) return this.skip();
    const previous = process.env.NATS_SERVER_BIN;
    const start = async (bin: string) => {
      process.env.NATS_SERVER_BIN = bin;
      try {
        return await startNatsServer();
      } finally {
        if (previous === undefined) delete process.env.NATS_SERVER_BIN;
        else process.env.NATS_SERVER_BIN = previous;
      }
    };
    const newer = await start(SID_SERVER);
    const older = await start(DEBIAN_SERVER);
    const toNewer = await connectNats({ servers: newer.url });
    const toOlder = await connectNats({ servers: older.url });
    try {
      const stream = name();
      await fillStream(toNewer, stream, 3);
      await fillStream(toOlder, stream, 3);
      const arc = join(work, `${stream}-arc`);
      const tar = join(work, `${stream}-tar`);
      assert.equal((await backupStream(toNewer, { stream, dir: arc })).file, 'stream.arc.s2');
      assert.equal((await backupStream(toOlder, { stream, dir: tar })).file, 'stream.tar.s2');
      await (await toOlder.jetstreamManager()).streams.delete(stream);
      await assert.rejects(restoreStream(toOlder, { dir: arc }), (e: Error) => {
        assert.match(e.message, /holds a backup in the archive format of nats-server 2\.15 and later \(stream\.arc\.s2\), and .* runs nats-server 2\.9\.\d+, which cannot read it: restore it on nats-server 2\.15 or later, or move the messages with Export Messages… and Import Messages…/);
        return true;
      });
      await assert.rejects((await toOlder.jetstreamManager()).streams.info(stream), /stream not found/);
      await (await toNewer.jetstreamManager()).streams.delete(stream);
      const restored = await restoreStream(toNewer, { dir: tar });
      assert.equal(restored.state.messages, 3);
    } finally {
      await toNewer.close();
      await toOlder.close();
      await newer.stop();
      await older.stop();
    }
  });
});
