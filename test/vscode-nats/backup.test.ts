// Back Up Stream… and Restore Stream… in a real VS Code, with the folder given as an argument: the backup folder has
// natscli's layout, the restored stream is in the tree at once with its messages and consumer, and a restore over an
// existing stream is refused with a sentence (in the log) and leaves the stream as it was.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AckPolicy } from '@nats-io/jetstream';
import type { BackupResult, RestoreResult } from '../../src/nats/backup';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { connectedTo, logText, row, rows } from './explorerSupport';

const INTERVAL = 'explorer.refreshIntervalSeconds';

describe('backup and restore commands', function () {
  this.timeout(90_000);
  const nats = useNatsServer({ session: true });
  let work: string;
  const settings = () => vscode.workspace.getConfiguration('cimNats');
  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-nats-backup-'));
    // the interval would show the restored stream by itself: off, so that only the restore can
    await settings().update(INTERVAL, 0, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await settings().update(INTERVAL, undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('backs a stream up from its tree item and restores it from the connection item; the tree shows it at once', async () => {
    const jsm = await nats.jsm();
    await jsm.streams.add({ name: 'ORDERS_BK', subjects: ['bk.orders.>'] });
    const js = nats.session.jetstream();
    for (let i = 1; i <= 5; i++) await js.publish(`bk.orders.${i}`, JSON.stringify({ i }));
    await jsm.consumers.add('ORDERS_BK', { durable_name: 'shipper', ack_policy: AckPolicy.Explicit });
    // connected after the stream exists: with the interval off the tree lists streams only when told to
    const api = await step('connecting', connectedTo(nats, 'backups', false));
    const conn = await eventually('the connection row', async () => (await rows(api)).find(r => r.label === 'backups'));
    const stream = await row(api, (await row(api, conn.node, 'Other streams')).node, 'ORDERS_BK');

    const dir = path.join(work, 'orders');
    const backup = await step('backing up', vscode.commands.executeCommand<BackupResult>('cimNats.stream.backup', stream.node, { dir }));
    assert.ok(backup, `the backup failed:\n${logText(api).slice(-2000)}`);
    assert.equal(backup.state.messages, 5);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['backup.json', backup.file].sort());

    await jsm.streams.delete('ORDERS_BK');
    await step('refreshing', vscode.commands.executeCommand('cimNats.explorer.refresh'));
    await eventually('ORDERS_BK gone from the tree', async () => !(await rows(api, conn.node)).some(r => r.label === 'Other streams'));
    const restored = await step('restoring', vscode.commands.executeCommand<RestoreResult>('cimNats.stream.restore', conn.node, { dir }));
    assert.ok(restored, `the restore failed:\n${logText(api).slice(-2000)}`);
    assert.deepEqual([restored.stream, restored.state.first_seq, restored.state.last_seq, restored.consumers], ['ORDERS_BK', 1, 5, ['shipper']]);
    // the interval is off: only the restore's own change shows it
    const back = await eventually('ORDERS_BK back in the tree', async () => row(api, (await row(api, conn.node, 'Other streams')).node, 'ORDERS_BK'));
    assert.match(back.description, /^5 msgs · /);

    const refused = await step('restoring again', vscode.commands.executeCommand('cimNats.stream.restore', undefined, { connection: 'backups', dir }));
    assert.equal(refused, undefined);
    assert.match(logText(api), /stream ORDERS_BK already exists on nats:\/\/127\.0\.0\.1:\d+ \(it holds 5 messages\): a restore creates the stream anew, so it is refused and ORDERS_BK is left as it is/);
    assert.equal((await jsm.streams.info('ORDERS_BK')).state.messages, 5);
  });
});

/** A step of the test that must end within `ms`: a hang fails with the step's name instead of the suite's timeout. */
async function step<T>(what: string, work: Thenable<T>, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms / 1000} s`)), ms)));
  try {
    return await Promise.race([Promise.resolve(work), late]);
  } finally {
    clearTimeout(timer);
  }
}
