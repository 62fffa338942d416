// Key-value buckets in a real VS Code: the tree's buckets and keys (not KV_ streams), a key's value opened, edited and
// saved as a compare-and-set, a conflicting save that opens the diff and writes nothing, and deletes that ask first.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Kvm } from '@nats-io/kv';
import { createBucket, createKey, getValue } from '../../src/nats/kv';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { kvUri } from '../../src/vscode/kv/kvDocuments';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { explorerApi, extensionErrorsFromHere, row, rows, setConnections, tooltipText, type Row } from './explorerSupport';
import { answering } from './prompts';

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

describe('key-value buckets in the explorer', function () {
  const nats = useNatsServer({ perTest: true, session: true });
  let api: ExtensionApi;
  let errorsSince: () => Promise<string>;

  before(async () => {
    api = await explorerApi();
  });
  beforeEach(async () => {
    errorsSince = extensionErrorsFromHere(api);
    nats.defer(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await setConnections([]);
    });
    await createBucket(nats.session, 'CONFIG', { history: 5, description: 'settings' });
    await createKey(nats.session, 'CONFIG', 'orders.limit', text('{"max":10}'));
    await createKey(nats.session, 'CONFIG', 'orders.region', text('eu'));
    await createKey(nats.session, 'CONFIG', 'gone', text('x'));
    await (await new Kvm(nats.session.jetstream()).open('CONFIG')).delete('gone');
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`extension errors:\n${await errorsSince()}`);
  });

  async function bucket(name: string): Promise<Row> {
    await setConnections([{ name, servers: [nats.url] }]);
    const conn = await eventually(`connection ${name}`, async () => (await rows(api)).find(r => r.label === name));
    const group = await eventually('the Key-value buckets group', async () => (await rows(api, conn.node)).find(r => /Key-value/i.test(r.label)));
    return row(api, group.node, 'CONFIG');
  }

  async function keyRows(name: string): Promise<Row[]> {
    const conn = (await rows(api)).find(r => r.label === name)!;
    const group = (await rows(api, conn.node)).find(r => /Key-value/i.test(r.label))!;
    return rows(api, (await row(api, group.node, 'CONFIG')).node);
  }

  it('shows the bucket with its figures and its keys with revision and age, deleted ones only when asked', async () => {
    const b = await bucket('tree');
    assert.match(b.description, /^3 keys · .+ · history 5 · TTL none · R1$/);
    assert.match(tooltipText(b.item), /settings/);
    assert.equal(b.item.contextValue, 'kvbucket');
    const keys = await rows(api, b.node);
    assert.deepEqual(keys.filter(k => k.node.kind === 'kvKey').map(k => k.label), ['orders.limit', 'orders.region']);
    assert.match(keys.find(k => k.label === 'orders.limit')!.description, /^rev 1 · \d+ s ago · 10 B$/);
    assert.equal(keys.find(k => k.label === 'orders.limit')!.item.contextValue, 'kvkey');
    assert.ok(keys.some(k => k.label === '1 deleted key hidden (Show Deleted Keys)'));
    // no KV_ stream row, so no stream actions on it
    const conn = (await rows(api)).find(r => r.label === 'tree')!;
    const group = (await rows(api, conn.node)).find(r => /Key-value/i.test(r.label))!;
    assert.equal(group.description, '1 bucket');
    assert.ok((await rows(api, group.node)).every(r => r.node.kind === 'kvBucket'));

    await vscode.commands.executeCommand('cimNats.kv.toggleDeleted', b.node);
    await eventually('the deleted key shown', async () => (await keyRows('tree')).find(k => k.label === 'gone' && /^deleted · rev 4/.test(k.description)));
    await vscode.commands.executeCommand('cimNats.kv.filterKeys', b.node, 'orders.>');
    const filtered = await eventually('only orders.> keys', async () => {
      const ks = await keyRows('tree');
      return ks.some(k => k.label.startsWith('Keys matching orders.>')) && !ks.some(k => k.label === 'gone') && ks;
    });
    assert.deepEqual(filtered.filter(k => k.node.kind === 'kvKey').map(k => k.label), ['orders.limit', 'orders.region']);
  });

  it('opens a value as JSON, and saving writes a compare-and-set on the opened revision', async () => {
    const b = await bucket('edit');
    const key = (await rows(api, b.node)).find(r => r.label === 'orders.limit')!;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('cimNats.kv.openKey', key.node);
    assert.equal(editor.document.languageId, 'json');
    assert.equal(editor.document.getText(), '{\n  "max": 10\n}\n');
    await editor.edit(e => e.replace(new vscode.Range(1, 9, 1, 11), '20'));
    assert.ok(await editor.document.save(), 'saved');
    const now = await getValue(nats.session, 'CONFIG', 'orders.limit');
    assert.equal(str(now?.value), '{"max":20}');
    assert.equal(now?.revision, 5);
    assert.equal(api.kv.fs.revisionOf(editor.document.uri), 5);
    await eventually('the key row at revision 5', async () => (await keyRows('edit')).find(k => k.label === 'orders.limit' && k.description.startsWith('rev 5 ')));
  });

  it('a conflicting save says so, opens the diff and does not overwrite theirs', async () => {
    const b = await bucket('conflict');
    const key = (await rows(api, b.node)).find(r => r.label === 'orders.region')!;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('cimNats.kv.openKey', key.node);
    assert.equal(editor.document.getText(), 'eu');
    const theirs = await (await new Kvm(nats.session.jetstream()).open('CONFIG')).put('orders.region', text('us'));
    await editor.edit(e => e.replace(new vscode.Range(0, 0, 0, 2), 'apac'));
    assert.equal(await editor.document.save(), false, 'the save is refused');
    assert.equal(str((await getValue(nats.session, 'CONFIG', 'orders.region'))?.value), 'us', 'theirs kept');
    assert.ok(editor.document.isDirty, 'mine kept in the editor');
    const diff = await eventually('the diff editor between theirs and mine', () => vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => t.input instanceof vscode.TabInputTextDiff));
    const input = diff.input as vscode.TabInputTextDiff;
    assert.equal(input.original.toString(), kvUri({ entryId: new URLSearchParams(editor.document.uri.query).get('c')!, bucket: 'CONFIG', key: 'orders.region', revision: theirs }).toString());
    assert.equal(input.modified.toString(), editor.document.uri.toString());
    assert.match(diff.label, /orders\.region: theirs \(revision \d+\) ↔ yours/);
    // having been told and shown theirs, saving again replaces theirs on purpose (a compare-and-set on their revision)
    assert.ok(await editor.document.save(), 'the second save goes on their revision');
    const now = await getValue(nats.session, 'CONFIG', 'orders.region');
    assert.equal(str(now?.value), 'apac');
    assert.equal(now?.revision, theirs + 1);
  });

  it('deletes a key only after asking, with the revision read now', async () => {
    const b = await bucket('delete');
    const key = (await rows(api, b.node)).find(r => r.label === 'orders.region')!;
    const declined = await answering({ warning: () => undefined }, () => vscode.commands.executeCommand('cimNats.kv.deleteKey', key.node));
    assert.equal(declined.result, false);
    assert.match(declined.asked[0]!.text, /^Delete orders\.region from bucket CONFIG\? Its value at revision 2 \(2 B\) stays in the key's history \(5 kept\) until purged\.$/);
    assert.equal((await getValue(nats.session, 'CONFIG', 'orders.region'))?.operation, 'PUT');
    const done = await answering({ warning: (_q, buttons) => buttons.find(x => x === 'Delete') }, () => vscode.commands.executeCommand('cimNats.kv.deleteKey', key.node));
    assert.equal(done.result, true);
    assert.equal((await getValue(nats.session, 'CONFIG', 'orders.region'))?.operation, 'DEL');
    await eventually('the key gone from the tree', async () => !(await keyRows('delete')).some(k => k.label === 'orders.region'));
  });

  it('refuses to create a key that exists, and creates a new one opened in the editor', async () => {
    const b = await bucket('create');
    const refused = await vscode.commands.executeCommand('cimNats.kv.createKey', b.node, { key: 'orders.limit', value: '{}' });
    assert.equal(refused, undefined);
    assert.match(await errorsSince(), /orders\.limit already exists in bucket CONFIG \(revision 1\): open it to change its value/);
    const revision = await vscode.commands.executeCommand<number>('cimNats.kv.createKey', b.node, { key: 'orders.new', value: '{"a":1}' });
    assert.equal(revision, 5);
    await eventually('the new key open', () => vscode.window.activeTextEditor?.document.uri.path === '/CONFIG/orders.new' && vscode.window.activeTextEditor);
    await eventually('the new key in the tree', async () => (await keyRows('create')).find(k => k.label === 'orders.new'));
  });

  it('shows a key\'s history, compares two revisions in the diff editor and reverts to one', async () => {
    const b = await bucket('history');
    const kv = await new Kvm(nats.session.jetstream()).open('CONFIG');
    await kv.put('orders.limit', text('{"max":11}'));
    await kv.put('orders.limit', text('{"max":12}'));
    const key = (await rows(api, b.node)).find(r => r.label === 'orders.limit')!;
    const compared = await answering({
      pick: (labels, title) => (/revisions \(newest first\)/.test(title) ? labels.find(l => l.startsWith('rev 1 ')) : labels.find(l => l === 'Compare with Latest')),
    }, () => vscode.commands.executeCommand('cimNats.kv.history', key.node));
    assert.match(compared.asked[0]!.text, /^orders\.limit in bucket CONFIG: 3 revisions \(newest first\)$/);
    assert.deepEqual(compared.asked[0]!.items.map(i => i.split(' · ').slice(0, 3).join(' · ')), ['rev 6 · PUT · 10 B', 'rev 5 · PUT · 10 B', 'rev 1 · PUT · 10 B']);
    const diff = await eventually('the diff of revision 1 and the latest', () => vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => t.input instanceof vscode.TabInputTextDiff));
    assert.match(diff.label, /orders\.limit: revision 1 ↔ latest \(6\)/);
    const reverted = await answering({
      pick: (labels, title) => (/newest first/.test(title) ? labels.find(l => l.startsWith('rev 1 ')) : labels.find(l => l === 'Revert to This Revision…')),
      warning: (_q, buttons) => buttons.find(x => x === 'Revert'),
    }, () => vscode.commands.executeCommand('cimNats.kv.history', key.node));
    assert.match(reverted.asked.find(a => a.kind === 'warning')!.text, /^Put revision 1's value \(10 B\) back as the latest of orders\.limit\? The latest is revision 6/);
    const now = await getValue(nats.session, 'CONFIG', 'orders.limit');
    assert.equal(str(now?.value), '{"max":10}');
    assert.equal(now?.revision, 7);
  });

  it('watches a bucket live: changes in its channel and the tree following them', async () => {
    const b = await bucket('watch');
    await vscode.commands.executeCommand('cimNats.kv.watch', b.node, { pattern: 'orders.>', from: 'now' });
    const w = await eventually('the watch running', () => api.kv.watches.list().find(x => x.bucket === 'CONFIG'));
    const kv = await new Kvm(nats.session.jetstream()).open('CONFIG');
    await kv.put('orders.added', text('{"by":"someone else"}'));
    await kv.put('other', text('not watched'));
    await eventually('the change in the channel', () => w.lines.length >= 1 && w.lines);
    assert.match(w.lines[0]!, /^\d\d:\d\d:\d\d\.\d{3} {2}PUT {4}orders\.added {2}rev 5 {2}\{"by":"someone else"\}$/);
    await eventually('the tree showing the new key', async () => (await keyRows('watch')).find(k => k.label === 'orders.added'));
    assert.equal(await vscode.commands.executeCommand('cimNats.kv.stopWatch'), 1);
    assert.equal(api.kv.watches.list().length, 0);
    assert.equal(w.lines.length, 1, 'the other key was not watched');
  });

  it('creates, edits and deletes a bucket, asking before the delete with the numbers read now', async () => {
    const b = await bucket('buckets');
    const conn = (await rows(api)).find(r => r.label === 'buckets')!;
    const created = await vscode.commands.executeCommand<{ name: string; history: number }>('cimNats.kv.createBucket', conn.node, { name: 'FLAGS', settings: { history: 3, ttlMs: 3_600_000 } });
    assert.equal(created.history, 3);
    const group = await eventually('two buckets', async () => (await rows(api, conn.node)).find(r => /Key-value/.test(r.label) && r.description === '2 buckets'));
    const flags = await row(api, group.node, 'FLAGS');
    assert.match(flags.description, /^0 keys · 0 B · history 3 · TTL 1h · R1$/);
    await vscode.commands.executeCommand('cimNats.kv.editBucket', flags.node, { settings: { history: 8 } });
    await eventually('history 8 shown', async () => {
      const g = (await rows(api, conn.node)).find(r => /Key-value/.test(r.label))!;
      return (await row(api, g.node, 'FLAGS')).description.includes('history 8');
    });
    const asked = await answering({ warning: () => undefined }, () => vscode.commands.executeCommand('cimNats.kv.deleteBucket', b.node));
    assert.equal(asked.result, false);
    assert.match(asked.asked[0]!.text, /^Delete bucket CONFIG on buckets\? Its 3 keys \(4 revisions, .+\) are lost\.$/);
    const done = await answering({ warning: (_q, buttons) => buttons.find(x => x === 'Delete Bucket') }, () => vscode.commands.executeCommand('cimNats.kv.deleteBucket', b.node));
    assert.equal(done.result, true);
    await eventually('one bucket left', async () => (await rows(api, conn.node)).find(r => /Key-value/.test(r.label) && r.description === '1 bucket'));
  });

  it('on a protected connection a purge asks for the key typed', async () => {
    await setConnections([{ name: 'guarded', servers: [nats.url], protected: true }]);
    const conn = await eventually('connection guarded', async () => (await rows(api)).find(r => r.label === 'guarded'));
    const group = await eventually('the buckets', async () => (await rows(api, conn.node)).find(r => /Key-value/i.test(r.label)));
    const key = (await rows(api, (await row(api, group.node, 'CONFIG')).node)).find(r => r.label === 'orders.region')!;
    const w = vscode.window as unknown as Record<string, unknown>;
    const saved = w.showInputBox;
    const prompts: string[] = [];
    const typing = (typed: string) => async (o: vscode.InputBoxOptions) => {
      prompts.push(`${o.title} | ${o.prompt}`);
      return typed;
    };
    try {
      w.showInputBox = typing('orders');
      assert.equal(await vscode.commands.executeCommand('cimNats.kv.purgeKey', key.node), false);
      assert.equal((await getValue(nats.session, 'CONFIG', 'orders.region'))?.operation, 'PUT');
      assert.match(prompts[0]!, /^Purge orders\.region from bucket CONFIG\? Its 1 revision \(1 value\) is removed for good\. \| guarded is protected: type orders\.region to confirm\.$/);
      w.showInputBox = typing('orders.region');
      assert.equal(await vscode.commands.executeCommand('cimNats.kv.purgeKey', key.node), true);
    } finally {
      w.showInputBox = saved;
    }
    assert.equal((await getValue(nats.session, 'CONFIG', 'orders.region'))?.operation, 'PURGE');
  });

  it('shows binary as hex (read-only), and a save over the max value size is refused in a sentence', async () => {
    await createBucket(nats.session, 'SMALL', { maxValueSize: 128 });
    await createKey(nats.session, 'SMALL', 'blob', new Uint8Array([0, 1, 2, 0xff]));
    await createKey(nats.session, 'SMALL', 'note', text('short'));
    await setConnections([{ name: 'limits', servers: [nats.url] }]);
    await eventually('connection limits', async () => (await rows(api)).find(r => r.label === 'limits'));
    const entryId = 'settings:limits';
    const blob = await vscode.commands.executeCommand<vscode.TextEditor>('cimNats.kv.openKey', { kind: 'kvKey', entryId, bucket: 'SMALL', entry: { bucket: 'SMALL', key: 'blob', revision: 1, created: new Date(), operation: 'PUT', size: 4 } });
    assert.match(blob.document.getText(), /^# binary value, 4 bytes, as hex\n00000000 {2}00 01 02 ff/);
    assert.equal(((await vscode.workspace.fs.stat(blob.document.uri)).permissions ?? 0) & vscode.FilePermission.Readonly, vscode.FilePermission.Readonly);
    const note = await vscode.commands.executeCommand<vscode.TextEditor>('cimNats.kv.openKey', { kind: 'kvKey', entryId, bucket: 'SMALL', entry: { bucket: 'SMALL', key: 'note', revision: 2, created: new Date(), operation: 'PUT', size: 5 } });
    await note.edit(e => e.insert(new vscode.Position(0, 5), ' and then'.repeat(20)));
    assert.equal(await note.document.save(), false);
    assert.equal(str((await getValue(nats.session, 'SMALL', 'note'))?.value), 'short');
    assert.match(await errorsSince(), /The value of note \(185 bytes\) is over bucket SMALL's max value size \(128 bytes, key and headers included\): store a smaller value, or raise the bucket's max value size/);
  });
});
