// `cim-nats backup` and `cim-nats restore` as processes against a nats-server of their own: a backup folder in
// natscli's layout, a restore after the stream was deleted with its consumer at its ack floor, a refused restore over
// an existing stream, a folder that is no backup, usage errors (exit 0 / 1 / 2).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AckPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { versionAtLeast } from '../../../src/nats/explorer/jsApi';
import { eventually } from '../../support/eventually';
import { useNatsServer } from '../../support/natsFixture';
import { runCli, type CliRun } from '../../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'cim-nats-backup-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[]): Promise<CliRun> => runCli(args, { cwd: dir, timeoutMs: 30_000 });

describe('cim-nats backup and restore', function () {
  this.timeout(60_000);
  const nats = useNatsServer({ session: true });
  let jsm: JetStreamManager;
  let n = 0;
  before(async () => {
    jsm = await nats.jsm();
  });
  const at = () => ['--server', nats.url];

  async function stream(): Promise<string> {
    const name = `CLIBK_${++n}`;
    await jsm.streams.add({ name, subjects: [`${name}.>`] });
    const js = nats.session.jetstream();
    for (let i = 1; i <= 6; i++) {
      const h = natsHeaders();
      h.set('X-N', String(i));
      await js.publish(`${name}.e.${i}`, `payload ${i}`, { headers: h });
    }
    await jsm.streams.deleteMessage(name, 2);
    await jsm.consumers.add(name, { durable_name: 'worker', ack_policy: AckPolicy.Explicit });
    const c = await nats.session.jetstream().consumers.get(name, 'worker');
    for await (const m of await c.fetch({ max_messages: 3, expires: 2_000 })) m.ack();
    await eventually('the acks to land', async () => (await jsm.consumers.info(name, 'worker')).ack_floor.stream_seq === 4);
    return name;
  }

  it('backs a stream up, and restores it with its sequences, headers and consumer after it was deleted (exit 0)', async () => {
    const name = await stream();
    const before = await jsm.streams.getMessage(name, { seq: 5 });
    const target = join(dir, name);
    const b = await cli(['backup', ...at(), '--check', name, target]);
    assert.equal(b.code, 0, b.err);
    const file = versionAtLeast(nats.session.nc.info?.version, 2, 15) ? 'stream.arc.s2' : 'stream.tar.s2';
    assert.match(b.err, new RegExp(`^Backed up 5 messages \\(#1–#6\\) of ${name} and its 1 consumer to ${target.replace(/[/.]/g, '\\$&')} \\(backup\\.json, ${file.replace('.', '\\.')}`));
    assert.deepEqual(readdirSync(target).sort(), ['backup.json', file]);

    await jsm.streams.delete(name);
    const r = await cli(['restore', ...at(), target]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, new RegExp(`^Restored ${name}: 5 messages \\(#1–#6\\) and its consumer worker, from `));
    const after = await jsm.streams.getMessage(name, { seq: 5 });
    assert.deepEqual([after?.subject, after?.timestamp, after?.header?.get('X-N'), after?.string()], [before?.subject, before?.timestamp, before?.header?.get('X-N'), before?.string()]);
    assert.equal(await jsm.streams.getMessage(name, { seq: 2 }), null, 'the gap stays a gap');
    assert.equal((await jsm.consumers.info(name, 'worker')).ack_floor.stream_seq, 4);
  });

  it('refuses to restore over an existing stream (exit 1), leaving it as it was', async () => {
    const name = await stream();
    const target = join(dir, `${name}-b`);
    assert.equal((await cli(['backup', ...at(), '--no-consumers', name, target])).code, 0);
    const r = await cli(['restore', ...at(), target]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`^cim-nats: stream ${name} already exists on nats://127\\.0\\.0\\.1:\\d+ \\(it holds 5 messages\\): a restore creates the stream anew, so it is refused`));
    assert.equal((await jsm.streams.info(name)).state.messages, 5);
  });

  it('says what a folder lacks (exit 1), and what the usage is (exit 2)', async () => {
    const empty = join(dir, 'empty');
    rmSync(empty, { recursive: true, force: true });
    const b = await cli(['backup', ...at(), 'NO_SUCH_STREAM', empty]);
    assert.equal(b.code, 1);
    assert.match(b.err, /^cim-nats: .*stream not found|^cim-nats: .*NO_SUCH_STREAM/);
    assert.equal(existsSync(empty), false, 'a failed backup leaves no folder behind');
    const r = await cli(['restore', ...at(), dir]);
    assert.equal(r.code, 1);
    assert.match(r.err, /is not a stream backup: it has neither backup\.json nor a snapshot file/);
    const u = await cli(['backup', ...at(), 'ONLY_STREAM']);
    assert.equal(u.code, 2);
    assert.match(u.err, /backup needs a STREAM and a DIR, not 1 argument \(see cim-nats --help\)/);
    assert.equal((await cli(['restore', ...at()])).code, 2);
  });
});
