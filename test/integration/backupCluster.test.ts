// Backup and restore of a three-replica stream in a loopback cluster under a JetStream domain (the API prefix the
// session uses), and a backup refused by the account's permissions, with the missing one named.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AckPolicy } from '@nats-io/jetstream';
import { CIM_DEV_USERS, cimDevServerConfig } from '../../dev/devServerConfig';
import { backupStream, restoreStream } from '../../src/nats/backup';
import { eventually } from '../support/eventually';
import { useNatsCluster, useNatsServers } from '../support/natsFixture';

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'cim-backup-cluster-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('backing up a three-replica stream in a cluster with a JetStream domain', function () {
  this.timeout(120_000);
  const nats = useNatsCluster({ nodes: 3, domain: 'cim', session: { jetStreamDomain: 'cim' } });

  it('restores the R3 stream with its messages, replicas and consumer ack floor', async () => {
    const session = nats.session;
    const jsm = await eventually('the cluster\'s JetStream', () => session.jetstreamManager().catch(() => undefined), { timeoutMs: 30_000, intervalMs: 250 });
    await eventually('an R3 stream', () => jsm.streams.add({ name: 'R3_ORDERS', subjects: ['r3.orders.>'], num_replicas: 3 }).catch(() => undefined), { timeoutMs: 30_000, intervalMs: 250 });
    const js = session.jetstream();
    for (let i = 1; i <= 20; i++) await js.publish(`r3.orders.${i % 4}`, JSON.stringify({ i }));
    await jsm.consumers.add('R3_ORDERS', { durable_name: 'audit', ack_policy: AckPolicy.Explicit, num_replicas: 3 });
    const c = await js.consumers.get('R3_ORDERS', 'audit');
    for await (const m of await c.fetch({ max_messages: 8, expires: 3_000 })) m.ack();
    await eventually('the ack floor at 8', async () => (await jsm.consumers.info('R3_ORDERS', 'audit')).ack_floor.stream_seq === 8);
    const before = await jsm.streams.getMessage('R3_ORDERS', { seq: 13 });

    const dir = join(work, 'r3');
    const backup = await backupStream(session, { stream: 'R3_ORDERS', dir });
    assert.equal(backup.state.messages, 20);
    await jsm.streams.delete('R3_ORDERS');
    const restored = await restoreStream(session, { dir });
    assert.deepEqual([restored.config.num_replicas, restored.state.first_seq, restored.state.last_seq, restored.consumers], [3, 1, 20, ['audit']]);
    const after = await jsm.streams.getMessage('R3_ORDERS', { seq: 13 });
    assert.deepEqual([after?.subject, after?.timestamp, after?.string()], [before?.subject, before?.timestamp, before?.string()]);
    const audit = await eventually('the restored consumer', () => jsm.consumers.info('R3_ORDERS', 'audit').catch(() => undefined), { timeoutMs: 30_000, intervalMs: 250 });
    assert.equal(audit.ack_floor.stream_seq, 8);
    assert.equal(audit.config.num_replicas, 3);
  });
});

describe('a backup the account may not take', function () {
  this.timeout(60_000);
  const servers = useNatsServers();

  it('names the permission a restore needs, and creates nothing', async () => {
    await servers.start({ config: cimDevServerConfig() });
    const { domain } = CIM_DEV_USERS;
    const session = await servers.connect({ user: domain.user, pass: domain.pass });
    const jsm = await session.jetstreamManager();
    await jsm.streams.add({ name: 'PERM_EVENTS', subjects: ['dev.domain.perm.>'] });
    await session.jetstream().publish('dev.domain.perm.x', '{}');
    const dir = join(work, 'perm');
    await backupStream(session, { stream: 'PERM_EVENTS', dir });
    await jsm.streams.delete('PERM_EVENTS');
    await assert.rejects(restoreStream(session, { dir }), (e: Error) => {
      assert.match(e.message, /^User domain_user may not publish to "\$JS\.SNAPSHOT\.RESTORE\.PERM_EVENTS\.\w+": add it, or a pattern covering it, to the account's publish permissions in the server config\. The restore stopped after 0 B of \d+ B; the server discards an unfinished restore, so no part of PERM_EVENTS was created\.$/);
      return true;
    });
    await assert.rejects(jsm.streams.info('PERM_EVENTS'), /stream not found/);
  });
});

describe('a server gone in the middle of a restore', function () {
  this.timeout(60_000);
  const servers = useNatsServers();

  it('says how far the restore got, and that the stream was not created', async () => {
    const server = await servers.start();
    const session = await servers.connect({ timeoutMs: 2_000 });
    const jsm = await session.jetstreamManager();
    await jsm.streams.add({ name: 'GONE', subjects: ['gone.>'] });
    for (let i = 0; i < 1000; i++) await session.jetstream().publish('gone.blob', randomBytes(2048));
    const dir = join(work, 'gone');
    await backupStream(session, { stream: 'GONE', dir });
    await jsm.streams.delete('GONE');
    let stopping: Promise<void> | undefined;
    await assert.rejects(restoreStream(session, { dir, onProgress: p => void (p.bytes > 0 ? (stopping ??= server.stop()) : undefined) }), (e: Error) => {
      assert.match(e.message, /^nats:\/\/127\.0\.0\.1:\d+ stopped answering in the middle of restoring GONE \(the server or the connection went away\)\. The restore stopped after \d+(\.\d)? (KiB|MiB) of \d+(\.\d)? MiB; the server discards an unfinished restore, so no part of GONE was created\.$/);
      return true;
    });
    await stopping;
  });
});

describe('a server gone in the middle of a backup', function () {
  this.timeout(60_000);
  const servers = useNatsServers();

  it('says the backup is incomplete and leaves no folder behind', async () => {
    const server = await servers.start();
    const session = await servers.connect();
    const jsm = await session.jetstreamManager();
    await jsm.streams.add({ name: 'GONE_B', subjects: ['goneb.>'] });
    for (let i = 0; i < 1000; i++) await session.jetstream().publish('goneb.blob', randomBytes(2048));
    const dir = join(work, 'gone-backup');
    let stopping: Promise<void> | undefined;
    await assert.rejects(backupStream(session, { stream: 'GONE_B', dir, chunkSize: 1024, onProgress: p => void (p.bytes > 0 ? (stopping ??= server.stop()) : undefined) }), (e: Error) => {
      assert.match(e.message, /^the connection to nats:\/\/127\.0\.0\.1:\d+ was lost in the middle of the backup of GONE_B \(after \d+(\.\d)? (B|KiB|MiB)\): the backup is incomplete and was removed\./);
      return true;
    });
    await stopping;
    assert.equal(existsSync(dir), false);
  });
});

