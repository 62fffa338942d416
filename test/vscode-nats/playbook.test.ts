// Playbooks against a real server in a real VS Code: lenses per block, a PUB lands once in its stream with its
// envelope and Nats-Msg-Id, the same send again is reported duplicate, a block with errors does not run (the lens and
// the click decide it with one function), a lens sends only the block it was drawn for, a message an interest stream
// did not keep is said to be not kept, and the CIM set-up test passes after the product's own Initialize.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { blockRefOf, type BlockRef } from '../../src/core/playbook/blockRef';
import { parsePlaybook } from '../../src/core/playbook/parser';
import type { ServerChange } from '../../src/vscode/connections/connectionRegistry';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { workspaceUri } from '../vscode/helpers';
import { explorerApi, rows, seedServer, setConnections } from './explorerSupport';

const ID = '6f1c2a52-8d1e-4c4b-9a55-1a2b3c4d5e6f';
const PLAYBOOK = `@connection = playbooks

### Order placed
@event_id = ${ID}
PUB dev.domain.sales.order.placed.{{event_id}}

{ "event_id": "{{event_id}}", "data": { "total": 42 } }

### Broken
PUB dev.domain.sales.order.placed.{{nope}}

{ "event_id": 1 }

### Follow the orders
@aggregate = order
SUB {{env}}.domain.sales.{{aggregate}}.>

### Capitalised
PUB dev.domain.Sales.order.placed.{{uuid}}

{}
`;

type Result = { kind: string; stream?: string; seq?: number; duplicate?: boolean; reason?: string };
type Rows = { ok: boolean; rows: { category: string; status: string; verdict: string; stream?: string }[] };

async function lensesOf(uri: vscode.Uri, count: number): Promise<vscode.CodeLens[]> {
  return eventually('the lenses', async () => {
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    return l.filter(x => x.command?.title).length >= count ? l : undefined;
  });
}

/** The lens on the verb line of the block titled `title`: its command and arguments, as a click would run them. */
async function lensFor(doc: vscode.TextDocument, title: string, count: number): Promise<vscode.Command> {
  const pb = parsePlaybook(doc.getText());
  const block = pb.blocks.find(b => b.title === title);
  assert.ok(block, `no block ${title}`);
  const line = doc.positionAt(block.verbRange.start).line;
  const lens = (await lensesOf(doc.uri, count)).find(l => l.range.start.line === line);
  assert.ok(lens?.command, `no lens on line ${line}`);
  return lens.command;
}

const click = (command: vscode.Command) => vscode.commands.executeCommand<Result[]>(command.command, ...(command.arguments ?? []));

describe('playbooks', function () {
  const nats = useNatsServer({ session: true });
  let api: ExtensionApi;
  let uri: vscode.Uri;
  let doc: vscode.TextDocument;

  const messages = async (stream: string) => (await (await nats.jsm()).streams.info(stream)).state.messages;

  before(async () => {
    api = await explorerApi();
    // the tails stop and the connection goes before the server stops (the fixture's clean-ups run first)
    nats.defer(async () => {
      await api.tails.stopAll();
      await setConnections([]);
    });
    await seedServer(nats.url);
    await setConnections([{ name: 'playbooks', servers: [nats.url] }]);
    await eventually('the connection', async () => (await rows(api)).find(r => r.label === 'playbooks'));
    uri = workspaceUri('publish-test.nats');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(PLAYBOOK));
    doc = (await vscode.window.showTextDocument(uri)).document;
  });

  it('shows Run all, a Publish lens, error lenses on the broken blocks and a Tail lens', async () => {
    const titles = (await lensesOf(uri, 5)).map(l => l.command?.title ?? '');
    assert.equal(titles[0], '$(run-all) Run all (4 blocks)');
    assert.ok(titles.includes('$(play) Publish'), titles.join(' | '));
    assert.ok(titles.includes('$(pulse) Tail'), titles.join(' | '));
    assert.ok(titles.some(t => t.startsWith('$(error) ') && /nope/.test(t)), titles.join(' | '));
    // the algebra refuses the subject although the parse found nothing: the lens says so instead of Publish
    assert.ok(titles.some(t => /^\$\(error\) "dev\.domain\.Sales\.order\.placed\.[0-9a-f-]+" is not a valid subject/.test(t)), titles.join(' | '));
  });

  it('publishes a block from its lens into its stream with Nats-Msg-Id = the event id, and says duplicate the second time', async () => {
    const lens = await lensFor(doc, 'Order placed', 5);
    assert.equal(lens.title, '$(play) Publish');
    const [first] = await click(lens);
    assert.deepEqual([first?.kind, first?.stream, first?.duplicate], ['stored', 'DOMAIN_SALES_EVENTS', false]);
    const [second] = await click(lens);
    assert.deepEqual([second?.kind, second?.seq, second?.duplicate], ['stored', first?.seq, true]);
    const m = await (await nats.jsm()).streams.getMessage('DOMAIN_SALES_EVENTS', { seq: first!.seq! });
    assert.equal(m?.subject, `dev.domain.sales.order.placed.${ID}`);
    assert.equal(m?.header.get('Nats-Msg-Id'), ID);
    assert.deepEqual(m?.json(), { event_id: ID, data: { total: 42 } });
  });

  it('does not run a block with errors, and says the reason its lens shows', async () => {
    const lens = await lensFor(doc, 'Capitalised', 5);
    const pb = parsePlaybook(doc.getText());
    const index = pb.blocks.findIndex(b => b.title === 'Capitalised');
    const [r] = await vscode.commands.executeCommand<Result[]>('cimNats.playbook.runBlock', uri, blockRefOf(doc.getText(), pb, index));
    assert.equal(r?.kind, 'invalid');
    // the same sentence from the same function ({{uuid}} is fresh each time)
    const uuids = (t: string) => t.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'UUID');
    assert.equal(uuids(lens.title), uuids(`$(error) ${r!.reason}`));
  });

  it('tails a SUB block in its own channel, its variables and {{env}} resolved', async () => {
    await click(await lensFor(doc, 'Follow the orders', 5));
    assert.deepEqual(api.tails.list().map(t => t.pattern), ['dev.domain.sales.order.>']);
  });

  it('refuses a lens click after an edit above its block moved another block under it: nothing is published', async () => {
    const text = '@connection = playbooks\n\n### Safe\nPUB dev.domain.sales.order.created.{{uuid}}\n\n{}\n';
    const own = await vscode.workspace.openTextDocument({ language: 'nats', content: text });
    const editor = await vscode.window.showTextDocument(own);
    const lens = await lensFor(own, 'Safe', 1);
    const ref = lens.arguments?.[1] as BlockRef;
    assert.equal(ref.index, 0);
    const before = await messages('DOMAIN_SALES_EVENTS');
    // a production block typed above: index 0 is now that block
    const above = '### Oops\nPUB prod.domain.sales.order.created.{{uuid}}\n\n{}\n\n';
    assert.ok(await editor.edit(b => b.insert(own.positionAt(text.indexOf('### Safe')), above)));
    const [r] = await click(lens);
    assert.equal(r?.kind, 'changed');
    assert.match(r!.reason!, /^"Safe" changed after its lens was drawn \(the text above it or in it was edited\), so nothing was sent/);
    assert.equal(await messages('DOMAIN_SALES_EVENTS'), before);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('says a command the interest stream did not keep was not kept, and tells the explorer what changed', async () => {
    const own = await vscode.workspace.openTextDocument({ language: 'nats', content: '@connection = playbooks\n\n### Create\nPUB dev.command.sales.order.create\n\n{}\n' });
    await vscode.window.showTextDocument(own);
    const changes: ServerChange[] = [];
    const listening = api.registry.onDidChangeServer(c => changes.push(c));
    try {
      const [r] = await click(await lensFor(own, 'Create', 1));
      assert.equal(r?.kind, 'not-kept');
      assert.match(r!.reason!, /^DOMAIN_SALES_COMMANDS is an interest stream and no consumer is interested/);
      assert.deepEqual(changes, [{ connectionId: 'settings:playbooks', streams: ['DOMAIN_SALES_COMMANDS'], reason: 'publish' }]);
    } finally {
      listening.dispose();
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('tests the CIM set-up: every sample lands (the commands stream too, with no consumer left), and a missing stream is named', async () => {
    const first = await vscode.commands.executeCommand<Rows>('cimNats.setup.test', undefined, { connection: 'settings:playbooks', domains: ['sales'], environment: 'dev' });
    assert.equal(first.ok, true, JSON.stringify(first.rows));
    assert.ok(first.rows.some(r => r.category === 'command' && r.status === 'ok'), JSON.stringify(first.rows));
    assert.deepEqual((await (await nats.jsm()).consumers.list('DOMAIN_SALES_COMMANDS').next()).map(c => c.name), []);
    const missing = await vscode.commands.executeCommand<Rows>('cimNats.setup.test', undefined, { connection: 'settings:playbooks', domains: ['billing'], environment: 'dev' });
    assert.equal(missing.ok, false);
    assert.ok(missing.rows.some(r => /DOMAIN_BILLING_EVENTS/.test(r.verdict)), JSON.stringify(missing.rows));
  });
});

describe('the CIM set-up test after Initialize CIM Streams', function () {
  const nats = useNatsServer();
  let api: ExtensionApi;

  before(async () => {
    api = await explorerApi();
    // the connection goes before the server stops (the fixture's clean-ups run first)
    nats.defer(() => setConnections([]));
    await setConnections([{ name: 'fresh', servers: [nats.url] }]);
    await eventually('the connection', async () => (await rows(api)).find(r => r.label === 'fresh'));
  });

  it('passes on the streams Initialize made, opens its report rendered, and tells the explorer what changed', async () => {
    await vscode.commands.executeCommand('cimNats.streams.init', undefined, { connection: 'settings:fresh', domains: ['sales'], environment: 'dev', confirmed: true });
    const changes: ServerChange[] = [];
    const listening = api.registry.onDidChangeServer(c => changes.push(c));
    try {
      const result = await vscode.commands.executeCommand<Rows>('cimNats.setup.test', undefined, { connection: 'settings:fresh', domains: ['sales'], environment: 'dev' });
      assert.equal(result.ok, true, JSON.stringify(result.rows));
      assert.deepEqual(result.rows.filter(r => r.status !== 'ok'), []);
      assert.ok(result.rows.some(r => r.stream === 'DOMAIN_SALES_COMMANDS'));
      const seen = changes.find(c => c.reason === 'set-up test');
      assert.ok(seen?.streams?.includes('DOMAIN_SALES_COMMANDS'), JSON.stringify(changes));
    } finally {
      listening.dispose();
    }
    // the report opens in the Markdown preview, not as source
    await eventually('the rendered report', () => vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => /setup-test-dev/.test(t.label) && t.input instanceof vscode.TabInputWebview));
  });
});
