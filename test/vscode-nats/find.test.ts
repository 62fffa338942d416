// Find Messages, Continue Search, Trace Correlation and Show Aggregate History in a real VS Code, on a server seeded
// with a conversation: what the user reads in the result view, what a bound says, what a bad expression says.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { SEED, createSeedStreams, publishSeed } from '../support/traceSeed';
import { connectedTo, extensionErrorsFromHere, row } from './explorerSupport';
import { answering } from './prompts';

type FindReturn = { matches: number; uri?: vscode.Uri } | undefined;

/** The labels of the open webview tabs of a view type (a timeline's title). */
function webviewTabs(viewType: string): string[] {
  return vscode.window.tabGroups.all.flatMap(g => g.tabs).filter(t => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewType)).map(t => t.label);
}

/** The error messages the extension showed while `run` ran. */
async function errorsShown(run: () => Thenable<unknown>): Promise<string[]> {
  const w = vscode.window as unknown as { showErrorMessage: unknown };
  const saved = w.showErrorMessage;
  const shown: string[] = [];
  w.showErrorMessage = async (message: string) => {
    shown.push(message);
    return undefined;
  };
  try {
    await run();
  } finally {
    w.showErrorMessage = saved;
  }
  return shown;
}

describe('find and trace', function () {
  const nats = useNatsServer({ session: true });
  let api: ExtensionApi;
  let errorsSince: () => Promise<string>;

  before(async () => {
    api = await connectedTo(nats, 'finding', false);
    await createSeedStreams(await nats.jsm());
    await publishSeed(nats.session.jetstream());
  });
  beforeEach(() => {
    errorsSince = extensionErrorsFromHere(api);
  });
  afterEach(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('cimNats').update('find.maxMatches', undefined, vscode.ConfigurationTarget.Global);
    if (this.currentTest?.state === 'failed') console.log(`extension errors:\n${await errorsSince()}`);
  });

  async function streamNode(category: string, name: string) {
    const conn = await row(api, undefined, 'finding');
    return (await row(api, (await row(api, conn.node, category)).node, name)).node;
  }

  it('finds by CEL in a stream and opens the matches in a message view, each copyable as a .nats block', async () => {
    const events = await streamNode('Domain events', SEED.streams.events);
    const r = await vscode.commands.executeCommand<FindReturn>('cimNats.find.messages', events, { filter: '', where: 'event.data.customer_id == "123"' });
    assert.equal(r?.matches, 3, await errorsSince());
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), r!.uri!.toString());
    const text = editor.document.getText();
    assert.match(text, /^# Find `event\.data\.customer_id == "123"` in DOMAIN_SALES_EVENTS: 3 matches in 6 messages \(.*\) of DOMAIN_SALES_EVENTS, by time\.$/m);
    assert.match(text, /^# The whole range was read\.$/m);
    assert.match(text, /^# The expression could not be evaluated on \d+ messages? \(they do not match\); the first, DOMAIN_SALES_EVENTS #\d+: /m);
    assert.deepEqual([...text.matchAll(/^DOMAIN_SALES_EVENTS #\d+ {2}\S+ {2}(\S+)/gm)].map(m => m[1]!.split('.')[4]), ['placed', 'confirmed', 'shipped']);
    // the cursor on the second match: its block is what gets copied
    const line = text.split('\n').findIndex(l => l.includes('.confirmed.'));
    editor.selection = new vscode.Selection(line, 0, line, 0);
    const block = await vscode.commands.executeCommand<string>('cimNats.messages.copyAsPlaybook');
    assert.match(block, new RegExp(`^PUB dev\\.domain\\.sales\\.order\\.confirmed\\.${SEED.ids.confirmed}$`, 'm'));
  });

  it('searches every stream a wide filter reaches from the connection, stops at the bound, says so, and goes on', async () => {
    await vscode.workspace.getConfiguration('cimNats').update('find.maxMatches', 2, vscode.ConfigurationTarget.Global);
    const conn = await row(api, undefined, 'finding');
    const r = await vscode.commands.executeCommand<FindReturn>('cimNats.find.messages', conn.node, { filter: 'dev.>', where: `headers["X-Correlation-ID"] == "${SEED.correlationId}" || (event != null && has(event.metadata) && event.metadata.correlation_id == "${SEED.correlationId}")` });
    assert.ok(r && r.matches >= 2, await errorsSince());
    const editor = vscode.window.activeTextEditor!;
    assert.match(editor.document.getText(), /^# Stopped at 2 matches \(cimNats\.find\.maxMatches\): CIM NATS: Continue Search reads further\.$/m);
    // as the view's title-bar button does it: the view's URI given, each round going on where the last one stopped
    type Round = { result: { cursor?: unknown } } | undefined;
    let round = r as unknown as Round;
    for (let i = 0; i < 20 && round?.result.cursor; i++) round = await vscode.commands.executeCommand<Round>('cimNats.find.continue', r!.uri);
    assert.ok(round && !round.result.cursor, `the search did not finish: ${await errorsSince()}`);
    const text = await eventually('the whole range read', () => (/The whole range was read/.test(editor.document.getText()) ? editor.document.getText() : undefined));
    // every message of the correlation, from commands, events, sagas and projections, once each
    assert.match(text, /^# Find .*: 8 matches in 12 messages .* of DOMAIN_SALES_COMMANDS, DOMAIN_SALES_EVENTS, DOMAIN_SALES_SNAPSHOTS, PROJECTIONS, SAGAS, by time\.$/m);
    assert.equal([...text.matchAll(/^[A-Z_]+ #\d+ {2}/gm)].length, 8);
  });

  it('says a bad expression in one sentence with its column, and reads nothing', async () => {
    const events = await streamNode('Domain events', SEED.streams.events);
    const shown = await errorsShown(() => vscode.commands.executeCommand('cimNats.find.messages', events, { filter: '', where: 'event.data.customer_id = "123"' }));
    assert.equal(shown.length, 1);
    assert.match(shown[0]!, /^The expression cannot be used: .*column \d+/i);
    assert.equal(vscode.window.activeTextEditor, undefined);
  });

  it('says in one sentence when no stream stores the filter', async () => {
    const conn = await row(api, undefined, 'finding');
    const shown = await errorsShown(() => vscode.commands.executeCommand('cimNats.find.messages', conn.node, { filter: 'prod.domain.>', where: '' }));
    assert.deepEqual(shown.map(s => s.replace(/:.*/, '')), ['No stream stores "prod.domain.>"']);
  });

  /** A find result's view with the cursor on the message whose subject holds `part`. */
  async function cursorOn(where: string, part: string): Promise<void> {
    const events = await streamNode('Domain events', SEED.streams.events);
    await vscode.commands.executeCommand<FindReturn>('cimNats.find.messages', events, { filter: '', where });
    const editor = vscode.window.activeTextEditor!;
    const line = editor.document.getText().split('\n').findIndex(l => l.startsWith('DOMAIN_SALES_EVENTS #') && l.includes(part));
    assert.ok(line > 0, `no message on ${part} in the view`);
    editor.selection = new vscode.Selection(line + 3, 0, line + 3, 0);
  }

  it('traces the correlation of the message under the cursor into a timeline, naming what is broken', async () => {
    await cursorOn('event.data.customer_id == "123"', '.confirmed.');
    const r = await vscode.commands.executeCommand<{ found: number; complete: boolean; summary: string; notes: string[] }>('cimNats.trace.correlation');
    assert.ok(r, await errorsSince());
    assert.equal(r.found, 8);
    assert.equal(r.complete, false);
    assert.equal(r.summary, `8 messages with correlation id ${SEED.correlationId}: 1 whose cause was not found, 1 with no cause, 1 command no event followed.`);
    assert.match(r.notes[0]!, /^Searched DOMAIN_SALES_COMMANDS, DOMAIN_SALES_EVENTS, DOMAIN_SALES_SNAPSHOTS, PROJECTIONS, SAGAS between /);
    await eventually('the timeline tab', () => webviewTabs('cimNats.timeline').includes(`Trace ${SEED.correlationId}`));
  });

  it('shows the history of the aggregate of the message under the cursor, flagging the missing version', async () => {
    await cursorOn('event.data.customer_id == "123"', '.placed.');
    const r = await vscode.commands.executeCommand<{ events: number; consistent: boolean; summary: string }>('cimNats.trace.aggregateHistory');
    assert.ok(r, await errorsSince());
    assert.deepEqual(r, { events: 3, consistent: false, summary: '3 events after a snapshot, latest version 4: 1 gap.' });
    await eventually('the history tab', () => webviewTabs('cimNats.timeline').includes(`History of sales order ${SEED.aggregateId}`));
  });

  it('says where it looked when a correlation is found nowhere in the window, and offers to widen it', async () => {
    const conn = await row(api, undefined, 'finding');
    const entryId = (conn.node as { entry: { id: string } }).entry.id;
    const { result, asked } = await answering({ warning: () => undefined }, () => vscode.commands.executeCommand('cimNats.trace.correlation', { entryId, correlationId: SEED.correlationId, around: '2020-01-01T00:00:00Z' }));
    assert.deepEqual(result, { found: 0 });
    assert.equal(asked.length, 1);
    assert.match(asked[0]!.text, /^No message with correlation id 0b9a7c1e-\S+ in DOMAIN_SALES_COMMANDS, .* between 2019-12-31T23:45:00\.000Z and 2020-01-01T00:15:00\.000Z\.$/);
    assert.deepEqual(asked[0]!.items, ['Widen to ±2h']);
  });
});
