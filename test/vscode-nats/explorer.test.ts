// The JetStream explorer in a real VS Code against a real nats-server (the runner's, given as NATS_URL).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { connectNats } from '../../src/nats/connection/connect';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { eventually } from '../support/eventually';
import { explorerApi, row, rows, seedServer, setConnections, tooltipText } from './explorerSupport';

describe('the JetStream explorer', function () {
  let api: ExtensionApi;
  const url = process.env.CIM_NATS_TEST_NATS_URL ?? '';

  before(async function () {
    assert.ok(url, 'CIM_NATS_TEST_NATS_URL is not set: run this suite through scripts/harness/run-vscode-tests.mjs --nats');
    assert.equal(process.env.NATS_URL, url, 'the runner gives its server as NATS_URL');
    await seedServer(url);
    api = await explorerApi();
  });

  after(async () => setConnections([]));

  it('lists the server from NATS_URL, labelled with its address, with no settings at all', async () => {
    assert.deepEqual(vscode.workspace.getConfiguration('cimNats').get('connections'), []);
    const [conn] = await rows(api);
    assert.ok(conn, 'the tree shows no connection');
    assert.equal(conn.label, url);
    assert.match(conn.description, /^disconnected · from NATS_URL$/);
  });

  it('connects on expand and shows the server node, then the algebra\'s categories with their streams', async () => {
    const conn = await row(api, undefined, url);
    const children = await rows(api, conn.node);
    assert.deepEqual(children.map(r => [r.label, r.description]).slice(1), [
      ['Domain events', '2 streams'], ['Commands', '2 streams'], ['Projections', '1 stream'], ['Sagas', '1 stream'], ['Snapshots', '2 streams'],
    ]);
    assert.equal(children[0]!.label, 'Server');
    assert.match(children[0]!.description, /^(\S+ · )?nats-server \d+\.\d+\.\d+$/);
    assert.equal(api.registry.state('environment').kind, 'connected');
    assert.match((await row(api, undefined, url)).description, /^connected/);
    assert.match(api.statusBar.text, /NATS: .* \(connected\)$/);
  });

  it('shows a stream\'s figures in its row and its layout in the tooltip', async () => {
    const conn = await row(api, undefined, url);
    const events = await row(api, conn.node, 'Domain events');
    const sales = await row(api, events.node, 'DOMAIN_SALES_EVENTS');
    assert.match(sales.description, /^5 msgs · \d+(\.\d)? (B|KB) · \d+ (s|min) ago$/);
    const tip = tooltipText(sales.item);
    assert.ok(tip.includes('subjects: `dev.domain.sales.>`'), tip);
    for (const part of ['storage: file', 'retention: limits', 'max age: 30d', 'replicas: 1']) assert.match(tip, new RegExp(part));
    assert.equal(sales.item.contextValue, 'stream');
    const inventory = await row(api, events.node, 'DOMAIN_INVENTORY_EVENTS');
    assert.match(inventory.description, /^0 msgs · 0 B · never$/);
  });

  it('opens a domain stream to its event types, with declared-but-absent events at 0, and its consumers', async () => {
    const conn = await row(api, undefined, url);
    const events = await row(api, conn.node, 'Domain events');
    const sales = await row(api, events.node, 'DOMAIN_SALES_EVENTS');
    const children = await rows(api, sales.node);
    assert.deepEqual(children.map(r => r.label), ['Event types', 'order-projector']);
    assert.match(children[1]!.description, /^5 pending · 0 ack pending · 0 redelivered$/);
    const types = await rows(api, children[0]!.node);
    const got = Object.fromEntries(types.map(r => [r.label, r.description]));
    assert.equal(got['order › created'], '3');
    assert.equal(got['order › shipped'], '2');
    // the fixture's domain definition (bounded context sales) declares these, and the stream holds none
    assert.equal(got['order › placed'], '0 · declared, none stored');
    assert.equal(got['customer › registered'], '0 · declared, none stored');
  });

  it('shows the server\'s version, JetStream domain and the account\'s usage under the server node', async () => {
    const conn = await row(api, undefined, url);
    const server = await row(api, conn.node, 'Server');
    const details = Object.fromEntries((await rows(api, server.node)).map(r => [r.label, r.description]));
    assert.match(details.Version ?? '', /^nats-server \d+\.\d+\.\d+/);
    assert.equal(details['JetStream domain'], 'none');
    assert.match(details.Streams ?? '', /^8 /);
    assert.match(details.Storage ?? '', /B/);
  });

  it('filters streams by name and says how many it hides', async () => {
    await vscode.commands.executeCommand('cimNats.explorer.filter', 'SALES');
    try {
      const conn = await row(api, undefined, url);
      const children = await rows(api, conn.node);
      assert.equal(children.find(r => r.label === 'Domain events')?.description, '1 stream');
      assert.ok(children.some(r => r.label === 'Filtered by "SALES": 3 of 8 streams'), children.map(r => r.label).join(' | '));
    } finally {
      await vscode.commands.executeCommand('cimNats.explorer.clearFilter');
    }
  });

  it('opens stream info as a read-only JSON document', async () => {
    const conn = await row(api, undefined, url);
    const events = await row(api, conn.node, 'Domain events');
    const sales = await row(api, events.node, 'DOMAIN_SALES_EVENTS');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('cimNats.stream.showInfo', sales.node);
    assert.ok(editor, 'no editor opened');
    assert.equal(editor.document.languageId, 'json');
    assert.equal(editor.document.uri.scheme, 'cimnats-info');
    const info = JSON.parse(editor.document.getText());
    assert.equal(info.config.name, 'DOMAIN_SALES_EVENTS');
    assert.equal(info.state.messages, 5);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
  it('marks event-type counts that are estimates (a large stream on nats-server 2.9), and counts them exactly on asking', async () => {
    // 30,000 events in a domain stream of its own: above what 2.9 counts exactly by default, deleted afterwards
    const session = await connectNats({ servers: url });
    const jsm = await session.jetstreamManager();
    const N = 30_000;
    try {
      await jsm.streams.add({ name: 'DOMAIN_BULK_EVENTS', subjects: ['dev.domain.bulk.>'] });
      for (let i = 0; i < N; i++) session.nc.publish(`dev.domain.bulk.order.${i % 3 ? 'created' : 'paid'}.${i}`, '{}');
      await session.nc.flush();
      await eventually('the bulk stream to store every event', async () => (await jsm.streams.info('DOMAIN_BULK_EVENTS')).state.messages === N, 30_000);
      await vscode.commands.executeCommand('cimNats.explorer.refresh');
      const conn = await row(api, undefined, url);
      const bulk = await row(api, (await row(api, conn.node, 'Domain events')).node, 'DOMAIN_BULK_EVENTS');
      const typesRow = (await rows(api, bulk.node)).find(r => r.label === 'Event types')!;
      const described = async () => Object.fromEntries((await rows(api, typesRow.node)).map(r => [r.label, r.description]));
      const first = await described();
      const version = session.nc.info!.version;
      if (/^2\.9\./.test(version)) {
        assert.match(first['order › created'] ?? '', /^≈ \d{1,3}(,\d{3})*$/, JSON.stringify(first));
        const note = Object.keys(first).find(l => l.startsWith(`On nats-server ${version} an exact count`));
        assert.ok(note?.endsWith('Count them exactly from the Event types row (it takes the server longer).'), JSON.stringify(first));
      } else {
        assert.equal(first['order › created'], '20,000', 'counted exactly without asking on 2.10+');
      }
      await vscode.commands.executeCommand('cimNats.stream.countEventTypesExactly', typesRow.node);
      const exact = await described();
      assert.equal(exact['order › created'], '20,000');
      assert.equal(exact['order › paid'], '10,000');
      assert.ok(!Object.keys(exact).some(l => l.includes('estimates')), JSON.stringify(exact));
      assert.deepEqual((await jsm.consumers.list('DOMAIN_BULK_EVENTS').next()).map(c => c.name), [], 'no counting consumer left behind');
    } finally {
      await jsm.streams.delete('DOMAIN_BULK_EVENTS').catch(() => undefined);
      await session.close();
      await vscode.commands.executeCommand('cimNats.explorer.refresh');
    }
  });
});
