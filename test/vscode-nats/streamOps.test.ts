// Stream operations from the explorer in a real VS Code: Initialize CIM Streams, View Messages and its paging and copies.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { explorerApi, extensionErrorsFromHere, logText, row, rows, seedServer, setConnections } from './explorerSupport';

describe('stream operations', function () {
  // a fresh server for every test, and a session of the test's own on it
  const nats = useNatsServer({ perTest: true, session: true });
  let api: ExtensionApi;
  let errorsSince: () => Promise<string>;

  before(async () => {
    api = await explorerApi();
  });
  beforeEach(() => {
    errorsSince = extensionErrorsFromHere(api);
    // the editors close and the connection goes before the server stops (the fixture's clean-ups run first)
    nats.defer(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await setConnections([]);
    });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`extension errors:\n${await errorsSince()}`);
  });

  async function connection(name: string) {
    await setConnections([{ name, servers: [nats.url] }]);
    return eventually(`connection ${name}`, async () => (await rows(api)).find(r => r.label === name));
  }

  it('initializes the CIM streams from the palette, shows the plan, and the tree shows them; a second run changes nothing', async () => {
    const conn = await connection('init');
    const results = await vscode.commands.executeCommand<{ name: string; action: string }[]>('cimNats.streams.init', undefined,
      { connection: 'settings:init', domains: ['billing'], environment: 'dev', confirmed: true });
    assert.deepEqual(results.map(r => r.action), ['created', 'created', 'created', 'created', 'created']);
    // the plan opens rendered (the Markdown preview); its source is loaded
    const plan = vscode.workspace.textDocuments.find(d => d.uri.scheme === 'cimnats-info' && d.uri.path.endsWith('.md'));
    assert.ok(plan, 'no plan document is shown');
    assert.match(plan.getText(), /DOMAIN_BILLING_EVENTS/);
    const events = await row(api, conn.node, 'Domain events');
    assert.deepEqual((await rows(api, events.node)).map(r => r.label), ['DOMAIN_BILLING_EVENTS']);
    const again = await vscode.commands.executeCommand<{ rows: { action: string }[] }>('cimNats.streams.init', undefined,
      { connection: 'settings:init', domains: ['billing'], environment: 'dev', confirmed: true });
    assert.ok(again && Array.isArray(again.rows), `the second run gave ${JSON.stringify(again)?.slice(0, 300)}`);
    assert.deepEqual([...new Set(again.rows.map(r => r.action))], ['unchanged']);
  });

  it('views the last messages of a stream as a document, pages to older ones, and copies one as a .nats PUB block', async () => {
    await seedServer(nats.url);
    const conn = await connection('view');
    const sales = await row(api, (await row(api, conn.node, 'Domain events')).node, 'DOMAIN_SALES_EVENTS');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('cimNats.stream.viewMessages', sales.node, { from: { last: 2 }, filter: '' });
    const text = editor.document.getText();
    assert.match(text, /^# 2 messages of DOMAIN_SALES_EVENTS on view \(seq 4–5\)/);
    assert.match(text, /older: yes/);
    assert.match(text, /#5 {2}\S+ {2}dev\.domain\.sales\.order\.shipped\.00000000-0000-4000-8000-000000000005/);
    assert.match(text, /"event_id": 5/);
    const added = await vscode.commands.executeCommand<number>('cimNats.messages.showOlder');
    assert.equal(added, 3);
    await eventually('the older messages in the view', () => editor.document.getText().startsWith('# 5 messages'));
    const line = editor.document.getText().split('\n').findIndex(l => l.startsWith('#5 '));
    editor.selection = new vscode.Selection(line + 2, 0, line + 2, 0);
    const block = await vscode.commands.executeCommand<string>('cimNats.messages.copyAsPlaybook');
    assert.match(block, /^### dev\.domain\.sales\.order\.shipped\.\S+\n(#.*\n)*PUB dev\.domain\.sales\.order\.shipped\.00000000-0000-4000-8000-000000000005\n/);
    assert.equal(await vscode.env.clipboard.readText(), block);
  });

  it('views one event type\'s messages, and refuses a filter outside the stream\'s subjects with a sentence', async () => {
    await seedServer(nats.url);
    const conn = await connection('types');
    const sales = await row(api, (await row(api, conn.node, 'Domain events')).node, 'DOMAIN_SALES_EVENTS');
    const types = await row(api, sales.node, 'Event types');
    const created = await row(api, types.node, 'order › created');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('cimNats.stream.viewMessages', created.node, { from: { last: 50 } });
    assert.match(editor.document.getText(), /^# 3 messages of DOMAIN_SALES_EVENTS matching dev\.domain\.sales\.order\.created\.> on types/);
    const refused = await vscode.commands.executeCommand('cimNats.stream.viewMessages', sales.node, { from: { last: 5 }, filter: 'prod.domain.billing.>' });
    assert.equal(refused, undefined);
  });

  it('creates a consumer with a checked draft, shows it in the tree, and refuses a filter outside the stream', async () => {
    await seedServer(nats.url);
    const conn = await connection('consumers');
    const sales = await row(api, (await row(api, conn.node, 'Domain events')).node, 'DOMAIN_SALES_EVENTS');
    const created = await vscode.commands.executeCommand<{ name: string; num_pending: number }>('cimNats.consumer.create', sales.node,
      { draft: { durable: 'shipping', filter: 'dev.domain.sales.order.shipped.>', deliver: 'all', ack: 'explicit', maxDeliver: 3, ackWaitSeconds: 20 }, confirmed: true });
    assert.deepEqual([created.name, created.num_pending], ['shipping', 2]);
    const again = await row(api, (await row(api, (await row(api, undefined, 'consumers')).node, 'Domain events')).node, 'DOMAIN_SALES_EVENTS');
    const consumer = await row(api, again.node, 'shipping');
    assert.match(consumer.description, /^2 pending · 0 ack pending · 0 redelivered$/);
    const refused = await vscode.commands.executeCommand('cimNats.consumer.create', again.node,
      { draft: { durable: 'wrong', filter: 'prod.domain.sales.>', deliver: 'all', ack: 'explicit' }, confirmed: true });
    assert.equal(refused, undefined);
    assert.match(logText(api), /The filter "prod\.domain\.sales\.>" is not within the stream's subjects \(dev\.domain\.sales\.>\): it could never match\./);
  });

  it('exports a stream to .jsonl with its config beside it, and imports it back into a deleted stream, once', async () => {
    await seedServer(nats.url);
    const conn = await connection('backup');
    const sales = await row(api, (await row(api, conn.node, 'Domain events')).node, 'DOMAIN_SALES_EVENTS');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-export-'));
    const file = path.join(dir, 'sales.jsonl');
    const exported = await vscode.commands.executeCommand<{ exported: number }>('cimNats.stream.export', sales.node, { file });
    assert.equal(exported.exported, 5);
    assert.equal(fs.readFileSync(file, 'utf8').trim().split('\n').length, 5);
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'sales.stream.json'), 'utf8')).name, 'DOMAIN_SALES_EVENTS');
    const jsm = await nats.jsm();
    await jsm.streams.delete('DOMAIN_SALES_EVENTS');
    const imported = await vscode.commands.executeCommand<{ stored: number; ok: boolean; created?: unknown }>('cimNats.stream.import', undefined, { connection: 'settings:backup', file, create: true });
    assert.deepEqual([imported.stored, imported.ok, !!imported.created], [5, true, true]);
    const again = await vscode.commands.executeCommand<{ stored: number; duplicates: number }>('cimNats.stream.import', undefined, { connection: 'settings:backup', file });
    assert.deepEqual([again.stored, again.duplicates], [0, 5]);
    const info = await jsm.streams.info('DOMAIN_SALES_EVENTS');
    assert.equal(info.state.messages, 5);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
