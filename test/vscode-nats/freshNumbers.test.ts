// True numbers in the explorer: every prompt names what the server holds when it asks, the tree shows what an action
// of ours changed without a refresh, and while the view is visible its counts follow the server on an interval.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { SALES_EVENT } from '../support/natsSeed';
import { ours, workspaceUri } from '../vscode/helpers';
import { explorerApi, extensionErrors, row, rows, seedServer, setConnections, type Row } from './explorerSupport';
import { answering } from './prompts';

const INTERVAL = 'explorer.refreshIntervalSeconds';

describe('true numbers in the explorer', function () {
  const nats = useNatsServer({ perTest: true });
  let api: ExtensionApi;
  let dir: string;
  const settings = () => vscode.workspace.getConfiguration('cimNats');

  before(async () => {
    api = await explorerApi();
  });
  beforeEach(async () => {
    // the connection goes before its server stops (the fixture's clean-ups run first)
    nats.defer(() => setConnections([]));
    await seedServer(nats.url);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-fresh-'));
    // the interval would refresh the rows by itself: only the interval's own test turns it on
    await settings().update(INTERVAL, 0, vscode.ConfigurationTarget.Global);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`extension errors:\n${extensionErrors(api)}`);
    await settings().update(INTERVAL, undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** DOMAIN_SALES_EVENTS as the tree shows it now, walked from the connection's row (group rows hold their streams). */
  async function sales(connection: string): Promise<Row> {
    const conn = await eventually(`connection ${connection}`, async () => (await rows(api)).find(r => r.label === connection));
    return row(api, (await row(api, conn.node, 'Domain events')).node, 'DOMAIN_SALES_EVENTS');
  }

  async function connect(name: string): Promise<Row> {
    await setConnections([{ name, servers: [nats.url] }]);
    const shown = await sales(name);
    assert.match(shown.description, /^5 msgs/);
    return shown;
  }

  /** Publishes order.created events straight to the server: the tree is not told. */
  async function publishBehindTheTree(count: number, first = 100): Promise<void> {
    const js = (await nats.connect()).jetstream();
    for (let i = 0; i < count; i++) await js.publish(SALES_EVENT('order', 'created', first + i), '{}');
  }

  it('asks to purge the messages the server holds now, not the row\'s count, and purges that many', async () => {
    const shown = await connect('purge');
    await publishBehindTheTree(2);
    const { result, asked } = await answering({
      pick: labels => labels.find(l => l.startsWith('Everything')),
      warning: (_q, buttons) => (buttons.includes('Purge') ? 'Purge' : undefined),
    }, () => vscode.commands.executeCommand<number>('cimNats.stream.purge', shown.node));
    assert.deepEqual(asked.map(p => p.kind), ['pick', 'warning']);
    assert.equal(asked[0]!.items[0], 'Everything (7 messages)');
    assert.equal(asked[1]!.text, 'Purge 7 messages from DOMAIN_SALES_EVENTS on purge?');
    assert.equal(result, 7);
    await eventually('the row to show the purge', async () => /^0 msgs/.test((await sales('purge')).description));
  });

  it('names the server\'s counts when asking to delete a stream or a consumer', async () => {
    const shown = await connect('delete');
    const consumer = await row(api, shown.node, 'order-projector');
    assert.match(consumer.description, /^5 pending/);
    await publishBehindTheTree(2);
    const { asked } = await answering({}, async () => {
      assert.equal(await vscode.commands.executeCommand('cimNats.stream.delete', shown.node), false);
      assert.equal(await vscode.commands.executeCommand('cimNats.consumer.delete', consumer.node), false);
    });
    assert.deepEqual(asked.map(p => p.text), [
      'Delete stream DOMAIN_SALES_EVENTS on delete, with its 7 messages and 1 consumer?',
      'Delete consumer order-projector of DOMAIN_SALES_EVENTS on delete? Its position (7 pending, 0 unacknowledged) is lost.',
    ]);
  });

  it('offers to export all the messages the server holds now, and writes exactly those', async () => {
    const shown = await connect('export');
    await publishBehindTheTree(2);
    const file = path.join(dir, 'sales.jsonl');
    const { result, asked } = await answering({
      pick: labels => labels.find(l => l.startsWith('All ')),
      // one more arrives while the user picks the file: "All 7" still writes those 7
      save: async () => {
        await publishBehindTheTree(1, 200);
        return vscode.Uri.file(file);
      },
    }, () => vscode.commands.executeCommand<{ exported: number }>('cimNats.stream.export', shown.node));
    assert.equal(asked[0]!.items[0], 'All 7 messages · seq 1–7');
    assert.equal(result.exported, 7);
    assert.equal(fs.readFileSync(file, 'utf8').trim().split('\n').length, 7);
  });

  it('shows what an action of ours changed on the server without a refresh: counts of streams and consumers', async () => {
    const shown = await connect('changed');
    assert.match((await row(api, shown.node, 'order-projector')).description, /^5 pending/);
    await publishBehindTheTree(2);
    // what a publish from a lens, the set-up test or a tail stopping tells
    api.registry.didChangeServer({ connectionId: 'settings:changed', streams: ['DOMAIN_SALES_EVENTS'], reason: 'publish' });
    await eventually('the row and its consumer to show 7', async () => {
      const now = await sales('changed');
      return /^7 msgs/.test(now.description) && /^7 pending/.test((await row(api, now.node, 'order-projector')).description);
    });
  });

  it('keeps a stream\'s count fresh on the interval while the explorer is visible', async () => {
    await connect('interval');
    await settings().update(INTERVAL, 1, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('cimNats.explorer.focus');
    await publishBehindTheTree(2);
    // showing the view lists at once; what arrives after that only the interval brings
    await eventually('the view to show 7 messages', async () => /^7 msgs/.test((await sales('interval')).description));
    await publishBehindTheTree(2, 300);
    await eventually('the interval to show 9 messages', async () => /^9 msgs/.test((await sales('interval')).description));
  });

  it('checks subjects against the streams the explorer holds: a stream an action of ours made counts without a refresh', async () => {
    await setConnections([{ name: 'coverage', servers: [nats.url], environment: 'dev' }]);
    await sales('coverage');
    await api.registry.setActive('settings:coverage');
    const uri = workspaceUri('fresh-coverage.ts');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`export const PAID = 'dev.domain.billing.invoice.paid.6f1c2a52-8d1e-4c4b-9a55-1a2b3c4d5e6f';\n`));
    try {
      await vscode.window.showTextDocument(uri);
      await eventually('the billing subject to be underlined as not stored', () => ours(uri).some(d => d.code === 'coverage/uncaptured'));
      const jsm = await (await nats.connect()).jetstreamManager();
      await jsm.streams.add({ name: 'DOMAIN_BILLING_EVENTS', subjects: ['dev.domain.billing.>'] });
      // what Initialize CIM Streams (or any action of ours that makes a stream) tells
      api.registry.didChangeServer({ connectionId: 'settings:coverage', streams: ['DOMAIN_BILLING_EVENTS'], reason: 'init' });
      await eventually('the underline to go', () => !ours(uri).some(d => d.code === 'coverage/uncaptured'));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
    }
  });
});
