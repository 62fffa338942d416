// Stream and consumer actions from the Command Palette: run with no tree node, each asks for the connection (the active
// one first), the stream and the consumer read from the server at that moment, and acts on what was picked.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AckPolicy } from '@nats-io/jetstream';
import { preset } from '../../src/core/algebra/compiled';
import { cimStreamConfigs, ensureStreams } from '../../src/nats/streams/cimStreams';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { SALES_EVENT } from '../support/natsSeed';
import { EXTENSION_ID, explorerApi, extensionErrors, logText, rows, setConnections } from './explorerSupport';
import { answering } from './prompts';
import { acceptingFirstItems } from './quickPicks';

describe('palette actions', function () {
  const nats = useNatsServer({ session: true });
  let api: ExtensionApi;

  before(async () => {
    api = await explorerApi();
    // the connection goes before the server stops (the fixture's clean-ups run first)
    nats.defer(() => setConnections([]));
    const jsm = await nats.jsm();
    // ARCHIVE sorts first: the pickers' first items are its stream and its one consumer
    await jsm.streams.add({ name: 'ARCHIVE', subjects: ['archive.>'] });
    await jsm.streams.add({ name: 'PAYMENTS', subjects: ['payments.>'] });
    const js = nats.session.jetstream();
    for (let i = 1; i <= 3; i++) await js.publish(`archive.orders.${i}`, JSON.stringify({ i }));
    await js.publish('payments.card.1', '{}');
    await jsm.consumers.add('ARCHIVE', { durable_name: 'shipper', filter_subject: 'archive.orders.>', ack_policy: AckPolicy.Explicit });
    // a stream of the algebra's domain-event category, as Initialize makes it, with one event
    const made = await ensureStreams(jsm, cimStreamConfigs(preset('cim-start'), { domains: ['sales'], environment: 'dev', scope: 'environment' }));
    assert.deepEqual(made.filter(r => r.action === 'failed'), []);
    await js.publish(SALES_EVENT('order', 'created', 1), '{}');
    await setConnections([{ name: 'palette', servers: [nats.url] }]);
    await eventually('the palette connection', async () => (await rows(api)).find(r => r.label === 'palette'));
    // the runner's NATS_URL is a second connection: the picker offers the active one first
    await api.registry.setActive('settings:palette');
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`extension errors:\n${extensionErrors(api)}`);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('lists every stream and consumer action in the palette', () => {
    const menus = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes as { commands: { command: string }[]; menus: { commandPalette: { command: string; when: string }[] } };
    const hidden = new Set(menus.menus.commandPalette.filter(m => m.when === 'false').map(m => m.command));
    const actions = menus.commands.map(c => c.command).filter(c => /^cimNats\.(stream|consumer)\./.test(c));
    for (const a of ['cimNats.stream.purge', 'cimNats.stream.delete', 'cimNats.stream.export', 'cimNats.stream.import', 'cimNats.stream.viewMessages',
      'cimNats.consumer.create', 'cimNats.consumer.edit', 'cimNats.consumer.delete', 'cimNats.stream.showInfo', 'cimNats.stream.countEventTypesExactly']) {
      assert.ok(actions.includes(a), `${a} is not a command`);
    }
    assert.deepEqual(actions.filter(a => hidden.has(a)), [], 'hidden from the palette');
  });

  it('shows the info of the stream picked on the picked connection', async () => {
    const editor = await acceptingFirstItems(() => vscode.commands.executeCommand<vscode.TextEditor | undefined>('cimNats.stream.showInfo'));
    assert.ok(editor, 'no info document');
    assert.match(editor.document.uri.path, /\/palette\/ARCHIVE\.json$/);
    const info = JSON.parse(editor.document.getText()) as { config: { name: string }; state: { messages: number } };
    assert.equal(info.config.name, 'ARCHIVE');
    assert.equal(info.state.messages, 3);
  });

  it('shows the info of a consumer picked in the picked stream', async () => {
    const editor = await acceptingFirstItems(() => vscode.commands.executeCommand<vscode.TextEditor | undefined>('cimNats.consumer.showInfo'));
    assert.ok(editor, 'no info document');
    assert.match(editor.document.uri.path, /\/palette\/ARCHIVE\.shipper\.json$/);
    assert.equal((JSON.parse(editor.document.getText()) as { name: string }).name, 'shipper');
  });

  it('views the messages of the picked stream', async () => {
    const editor = await acceptingFirstItems(() => vscode.commands.executeCommand<vscode.TextEditor | undefined>('cimNats.stream.viewMessages', undefined, { from: { last: 10 }, filter: '' }));
    assert.ok(editor, 'no message view');
    assert.match(editor.document.getText(), /^# 3 messages of ARCHIVE on palette/);
  });

  it('exports the picked stream', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cim-palette-')), 'archive.jsonl');
    const result = await acceptingFirstItems(() => vscode.commands.executeCommand<{ exported: number } | undefined>('cimNats.stream.export', undefined, { file }));
    assert.equal(result?.exported, 3);
    assert.equal(fs.readFileSync(file, 'utf8').trim().split('\n').length, 3);
  });

  it('creates a consumer on the picked stream and edits the picked consumer', async () => {
    const created = await acceptingFirstItems(() => vscode.commands.executeCommand<{ name: string } | undefined>('cimNats.consumer.create', undefined,
      { draft: { durable: 'auditor', filter: 'archive.>', deliver: 'all', ack: 'explicit' }, confirmed: true }));
    assert.equal(created?.name, 'auditor');
    const jsm = await nats.jsm();
    assert.equal((await jsm.consumers.info('ARCHIVE', 'auditor')).num_pending, 3);
    // "auditor" is now the first consumer of ARCHIVE
    await acceptingFirstItems(() => vscode.commands.executeCommand('cimNats.consumer.edit', undefined, { description: 'edited from the palette', maxDeliver: 4, ackWaitSeconds: 12, maxAckPending: 50 }));
    const config = (await jsm.consumers.info('ARCHIVE', 'auditor')).config;
    assert.equal(config.description, 'edited from the palette');
    assert.equal(config.max_deliver, 4);
  });

  it('counts the event types of the picked stream of a category exactly', async () => {
    // only streams of the algebra's categories are offered; of these only DOMAIN_SALES_EVENTS holds messages
    const counted = await acceptingFirstItems(() => vscode.commands.executeCommand<string | undefined>('cimNats.stream.countEventTypesExactly'));
    assert.equal(counted, 'DOMAIN_SALES_EVENTS');
  });

  it('asks to purge the picked stream with its count read from the server', async () => {
    await nats.session.jetstream().publish('archive.orders.4', '{}');
    // the confirmation is a modal, which the test host refuses: its text is what the user would be asked
    const purged = await acceptingFirstItems(() => vscode.commands.executeCommand('cimNats.stream.purge'));
    assert.notEqual(typeof purged, 'number', 'purged without asking');
    const question = await eventually('the purge question in the log', () => /refused to show dialog in tests\. Contents: (Purge .*)/.exec(logText(api))?.[1]);
    assert.match(question, /\b4 messages\b.*\bARCHIVE\b.*\bpalette\b/);
    assert.equal((await (await nats.jsm()).streams.info('ARCHIVE')).state.messages, 4, 'nothing was purged without the answer');
  });

  it('offers streams, not the streams of key-value buckets and object stores, when it asks for a stream', async () => {
    const jsm = await nats.jsm();
    await jsm.streams.add({ name: 'KV_settings', subjects: ['$KV.settings.>'] });
    await jsm.streams.add({ name: 'OBJ_files', subjects: ['$O.files.C.>', '$O.files.M.>'] });
    try {
      // the connection picked, the stream pick read and closed
      const { asked } = await answering({ pick: labels => labels.find(l => l.startsWith('palette')) }, () => vscode.commands.executeCommand('cimNats.stream.purge'));
      const streams = asked.find(a => a.items.some(i => i.startsWith('ARCHIVE')));
      assert.ok(streams, `no stream pick among ${JSON.stringify(asked.map(a => a.text))}`);
      assert.deepEqual(streams.items.map(i => i.split(' · ')[0]!).filter(l => /^(KV|OBJ)_/.test(l)), []);
    } finally {
      await jsm.streams.delete('KV_settings');
      await jsm.streams.delete('OBJ_files');
    }
  });
});
