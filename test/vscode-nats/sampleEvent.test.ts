// Publish Sample Event… against a real server in a real VS Code: from a subject literal at the cursor in TypeScript,
// from a stream and an event type in the explorer, Edit before sending into a .nats block its lens publishes; typed
// data from the workspace's domain definition; production and protected declined, read-only refused; and a tail's
// message copied back as a PUB block.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { blockRefOf } from '../../src/core/playbook/blockRef';
import { parsePlaybook } from '../../src/core/playbook/parser';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { ExtensionApi } from '../../src/vscode/wiring';
import type { SampleEventOutcome } from '../../src/vscode/publish/sampleEventCommand';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { workspaceUri } from '../vscode/helpers';
import { explorerApi, extensionErrors, row, rows, seedServer, setConnections } from './explorerSupport';
import { acceptingFirstItems } from './quickPicks';

const COMMAND = 'cimNats.publish.sampleEvent';
const LITERAL_ID = '550e8400-e29b-41d4-a716-446655440000';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

interface Stored { kind: string; stream?: string; seq?: number; duplicate?: boolean; reason?: string }

describe('Publish Sample Event', function () {
  const nats = useNatsServer({ session: true });
  let api: ExtensionApi;

  const count = async (stream: string) => (await (await nats.jsm()).streams.info(stream)).state.messages;
  const stored = async (stream: string, seq: number) => (await nats.jsm()).streams.getMessage(stream, { seq });
  const run = (...args: unknown[]) => vscode.commands.executeCommand<SampleEventOutcome | undefined>(COMMAND, ...args);

  before(async () => {
    api = await explorerApi();
    // the connections go before the server stops (the fixture's clean-ups run first)
    nats.defer(() => setConnections([]));
    await seedServer(nats.url);
    await (await nats.jsm()).streams.add({ name: 'PROD_SALES_EVENTS', subjects: ['prod.domain.sales.>'] });
    await setConnections([
      { name: 'samples', servers: [nats.url] },
      { name: 'guarded', servers: [nats.url], protected: true },
      { name: 'ro', servers: [nats.url], readOnly: true },
    ]);
    await eventually('the connections', async () => (await rows(api)).filter(r => ['samples', 'guarded', 'ro'].includes(r.label)).length === 3 || undefined);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`extension errors:\n${extensionErrors(api)}`);
    await api.tails.stopAll();
    // untitled playbooks are dirty: reverted, so closing asks nothing
    for (let i = 0; i < 20 && vscode.window.activeTextEditor; i++) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('publishes from a subject literal at the cursor in TypeScript: one message, the CIM envelope with typed data, Nats-Msg-Id = event id', async () => {
    const uri = workspaceUri('src', 'sampleCursor.ts');
    const text = `export const PLACED = 'dev.domain.sales.order.placed.${LITERAL_ID}';\n`;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const editor = await vscode.window.showTextDocument(uri);
    assert.equal(editor.document.languageId, 'typescript');
    const at = editor.document.positionAt(text.indexOf('sales'));
    editor.selection = new vscode.Selection(at, at);
    const before = await count('DOMAIN_SALES_EVENTS');

    const out = await run({ connection: 'settings:samples', action: 'publish' });
    assert.ok(out, 'the command returned nothing (see the log)');
    const result = out.result as Stored;
    assert.deepEqual([result.kind, result.stream, result.duplicate], ['stored', 'DOMAIN_SALES_EVENTS', false]);
    // a sample is a new message: the literal's id is not reused
    assert.match(out.subject, new RegExp(`^dev\\.domain\\.sales\\.order\\.placed\\.${UUID}$`));
    assert.notEqual(out.subject, `dev.domain.sales.order.placed.${LITERAL_ID}`);
    assert.equal(await count('DOMAIN_SALES_EVENTS'), before + 1);

    const m = await stored('DOMAIN_SALES_EVENTS', result.seq!);
    const eventId = out.subject.split('.').at(-1)!;
    assert.equal(m?.subject, out.subject);
    assert.equal(m?.header.get('Nats-Msg-Id'), eventId);
    assert.equal(m?.header.get('X-Correlation-ID'), eventId);
    const env = m!.json<Record<string, unknown> & { data: Record<string, unknown>; metadata: Record<string, unknown> }>();
    assert.deepEqual(Object.keys(env), ['event_id', 'event_type', 'aggregate_type', 'aggregate_id', 'domain', 'timestamp', 'version', 'data', 'metadata']);
    assert.equal(env.event_id, eventId);
    assert.equal(env.event_type, 'OrderPlaced');
    assert.equal(env.domain, 'sales');
    // the fields test/fixtures/workspace/domains/example-business declares for OrderPlaced, with plausible values
    assert.deepEqual(Object.keys(env.data), ['order_id', 'customer_id', 'total_amount', 'placed_at']);
    assert.equal(env.data.order_id, env.aggregate_id);
    assert.match(String(env.data.customer_id), new RegExp(`^${UUID}$`));
    assert.deepEqual(env.data.total_amount, { amount: 99.99, currency: 'USD' });
    assert.ok(!Number.isNaN(Date.parse(String(env.data.placed_at))), String(env.data.placed_at));
    assert.deepEqual(env.metadata, { correlation_id: eventId, causation_id: eventId, source: 'cim-nats' });
  });

  it('publishes from an event type in the explorer, on that node\'s connection', async () => {
    const conn = await row(api, undefined, 'samples');
    const sales = await row(api, (await row(api, conn.node, 'Domain events')).node, 'DOMAIN_SALES_EVENTS');
    const types = await row(api, sales.node, 'Event types');
    const shipped = await row(api, types.node, 'order › shipped');
    const out = await run(shipped.node, { action: 'publish' });
    const result = out?.result as Stored;
    assert.deepEqual([result?.kind, result?.stream], ['stored', 'DOMAIN_SALES_EVENTS']);
    assert.match(out!.subject, new RegExp(`^dev\\.domain\\.sales\\.order\\.shipped\\.${UUID}$`));
    const env = (await stored('DOMAIN_SALES_EVENTS', result.seq!))!.json<{ event_type: string; data: Record<string, unknown> }>();
    assert.equal(env.event_type, 'OrderShipped');
    assert.deepEqual(Object.keys(env.data), ['order_id', 'items', 'shipped_at']);
  });

  it('from a stream, asks only the tokens the stream leaves open (aggregate, event) and publishes inside it', async () => {
    const conn = await row(api, undefined, 'samples');
    const sales = await row(api, (await row(api, conn.node, 'Domain events')).node, 'DOMAIN_SALES_EVENTS');
    // the first item of each QuickPick: the definition's first aggregate, then its first event
    const out = await acceptingFirstItems(() => run(sales.node, { action: 'publish' }));
    const result = out?.result as Stored;
    assert.deepEqual([result?.kind, result?.stream], ['stored', 'DOMAIN_SALES_EVENTS']);
    assert.match(out!.subject, new RegExp(`^dev\\.domain\\.sales\\.customer\\.registered\\.${UUID}$`));
    const env = (await stored('DOMAIN_SALES_EVENTS', result.seq!))!.json<{ event_type: string; data: Record<string, unknown> }>();
    assert.equal(env.event_type, 'CustomerRegistered');
    assert.equal(env.data.email, 'customer@example.com');
  });

  it('from the palette, builds the subject token by token (environment, category, domain, aggregate, event) from the definitions', async () => {
    assert.equal(vscode.window.activeTextEditor, undefined);
    // the first item each time: the default environment, the first category, then the definition's first names
    const out = await acceptingFirstItems(() => run({ action: 'edit' }));
    assert.match(out?.subject ?? '', new RegExp(`^dev\\.domain\\.example-business\\.customer\\.registered\\.${UUID}$`));
    const doc = vscode.workspace.textDocuments.find(d => d.uri.toString() === out!.uri)!;
    assert.equal(parsePlaybook(doc.getText()).blocks[0]?.subject, out!.subject);
  });

  it('Edit before sending opens a new .nats playbook whose block parses, names the subject, and publishes from its lens', async () => {
    const subject = `dev.domain.sales.order.placed.${LITERAL_ID.replace(/0000$/, '0abc')}`;
    const out = await run({ subject, connection: 'settings:samples', action: 'edit' });
    assert.equal(out?.action, 'edit');
    const doc = vscode.workspace.textDocuments.find(d => d.uri.toString() === out!.uri);
    assert.ok(doc, 'the playbook is not open');
    assert.equal(doc.languageId, 'nats');
    assert.equal(vscode.window.activeTextEditor?.document, doc);
    const pb = parsePlaybook(doc.getText());
    assert.deepEqual(pb.problems.filter(p => p.severity === 'error').map(p => p.message), []);
    assert.equal(pb.variables.find(v => v.name === 'connection')?.value, 'samples');
    assert.equal(pb.blocks.length, 1);
    assert.equal(pb.blocks[0]!.verb, 'PUB');
    assert.equal(pb.blocks[0]!.subject, subject);
    assert.deepEqual(pb.blocks[0]!.headers.map(h => h.name), ['X-Message-ID', 'X-Correlation-ID', 'X-Causation-ID']);
    const body = JSON.parse(pb.blocks[0]!.body!.text) as { event_id: string; data: Record<string, unknown> };
    assert.equal(body.event_id, subject.split('.').at(-1));
    assert.deepEqual(Object.keys(body.data), ['order_id', 'customer_id', 'total_amount', 'placed_at']);

    const [sent] = await vscode.commands.executeCommand<Stored[]>('cimNats.playbook.runBlock', doc.uri, blockRefOf(doc.getText(), pb, 0));
    assert.deepEqual([sent?.kind, sent?.stream], ['stored', 'DOMAIN_SALES_EVENTS']);
    assert.equal((await stored('DOMAIN_SALES_EVENTS', sent!.seq!))?.header.get('Nats-Msg-Id'), body.event_id);
  });

  it('Edit before sending from a PUB line appends a block to that playbook, with a fresh event id', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'nats', content: '### Mine\nPUB dev.domain.sales.order.placed.{{id}}\n\n{ "a": 1 }\n' });
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(doc.getText().indexOf('order.placed'));
    editor.selection = new vscode.Selection(at, at);
    const out = await run({ action: 'edit' });
    assert.equal(out?.uri, doc.uri.toString());
    const pb = parsePlaybook(doc.getText());
    assert.equal(pb.blocks.length, 2);
    assert.equal(pb.blocks[0]!.body?.text, '{ "a": 1 }', 'the block that was there is unchanged');
    assert.match(pb.blocks[1]!.subject, new RegExp(`^dev\\.domain\\.sales\\.order\\.placed\\.${UUID}$`));
    assert.equal(pb.blocks[1]!.subject, out!.subject);
    assert.equal(editor.selection.active.line, doc.positionAt(pb.blocks[1]!.verbRange.start).line, 'the cursor is on the new PUB line');
  });

  it('sends nothing when publishing to production or through a protected connection is declined', async () => {
    const prodBefore = await count('PROD_SALES_EVENTS');
    const prod = await run({ subject: `prod.domain.sales.order.placed.${LITERAL_ID}`, connection: 'settings:samples', action: 'publish', confirmed: false });
    assert.equal(prod?.result?.kind, 'declined');
    assert.match((prod!.result as Stored).reason!, /production subject \(prod\)/);
    const devBefore = await count('DOMAIN_SALES_EVENTS');
    const guarded = await run({ subject: `dev.domain.sales.order.placed.${LITERAL_ID}`, connection: 'settings:guarded', action: 'publish', confirmed: false });
    assert.equal(guarded?.result?.kind, 'declined');
    assert.match((guarded!.result as Stored).reason!, /protected connection/);
    assert.equal(await count('PROD_SALES_EVENTS'), prodBefore);
    assert.equal(await count('DOMAIN_SALES_EVENTS'), devBefore);
    // said yes, it is sent
    const yes = await run({ subject: `prod.domain.sales.order.placed.${LITERAL_ID}`, connection: 'settings:samples', action: 'publish', confirmed: true });
    assert.deepEqual([yes?.result?.kind, (yes?.result as Stored).stream], ['stored', 'PROD_SALES_EVENTS']);
  });

  it('refuses on a read-only connection with a sentence, and sends nothing', async () => {
    const before = await count('DOMAIN_SALES_EVENTS');
    const out = await run({ subject: `dev.domain.sales.order.placed.${LITERAL_ID}`, connection: 'settings:ro', action: 'publish' });
    assert.equal(out?.result?.kind, 'failed');
    assert.equal((out!.result as Stored).reason, 'ro is a read-only connection: publishing is not allowed through it (clear "readOnly" in its settings to allow it).');
    assert.equal(await count('DOMAIN_SALES_EVENTS'), before);
  });

  it('refuses a subject the algebra does not accept, before anything is sent', async () => {
    const before = await count('DOMAIN_SALES_EVENTS');
    const out = await run({ subject: 'dev.domain.sales.Order.placed', connection: 'settings:samples', action: 'publish' });
    assert.equal(out, undefined);
    assert.equal(await count('DOMAIN_SALES_EVENTS'), before);
  });

  it('copies a tail\'s message, published from outside, as the PUB block View Messages would copy', async () => {
    const tail = await vscode.commands.executeCommand<{ id: number; lines: string[] }>('cimNats.tail.start', undefined, { connection: 'settings:samples', pattern: 'dev.domain.inventory.>', from: 'live' });
    const subject = 'dev.domain.inventory.product.stock-reserved.00000000-0000-4000-8000-000000000042';
    const h = natsHeaders();
    h.set('X-Correlation-ID', 'c-1');
    await nats.session.jetstream().publish(subject, JSON.stringify({ event_id: '00000000-0000-4000-8000-000000000042', data: { qty: 3 } }), { msgID: '00000000-0000-4000-8000-000000000042', headers: h });
    await eventually('the message in the tail', () => tail.lines.some(l => l.includes(subject)));
    const block = await vscode.commands.executeCommand<string>('cimNats.tail.copyAsPlaybook', { tail: tail.id, subject });
    assert.ok(block, 'nothing was copied');
    assert.equal(await vscode.env.clipboard.readText(), block);
    const lines = block.split('\n');
    assert.equal(lines[0], `### ${subject}`);
    assert.ok(lines.includes(`PUB ${subject}`), block);
    const pb = parsePlaybook(block);
    const [b] = pb.blocks;
    assert.equal(b?.subject, subject);
    assert.deepEqual(b?.headers.map(x => `${x.name}: ${x.value}`).sort(), ['Nats-Msg-Id: 00000000-0000-4000-8000-000000000042', 'X-Correlation-ID: c-1']);
    assert.deepEqual(JSON.parse(b!.body!.text), { event_id: '00000000-0000-4000-8000-000000000042', data: { qty: 3 } });
  });
});
