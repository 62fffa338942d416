// Connections in a real VS Code: adding one with a password (tested, kept only in SecretStorage), read-only ones,
// and a server that goes away and comes back.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CIM_DEV_USERS, cimDevServerConfig } from '../../dev/devServerConfig';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { eventually } from '../support/eventually';
import { useNatsServers } from '../support/natsFixture';
import { explorerApi, logText, row, rows, seedServer, setConnections } from './explorerSupport';

const { domain: DOMAIN } = CIM_DEV_USERS;

function settingsText(): string {
  return JSON.stringify(vscode.workspace.getConfiguration('cimNats').inspect('connections'));
}

describe('connections', function () {
  let api: ExtensionApi;

  before(async () => {
    api = await explorerApi();
  });
  // (before the fixture's: the extension lets go of a server before it stops)
  afterEach(async () => {
    await setConnections([]);
  });
  const nats = useNatsServers();

  it('adds a password connection after testing it; the password is only in SecretStorage, never in settings or logs', async () => {
    const server = await nats.start({ config: cimDevServerConfig(), domain: 'cim' });
    const saved = await vscode.commands.executeCommand('cimNats.connection.add', {
      config: { name: 'seed-domain', servers: [server.url], auth: 'user', user: DOMAIN.user, jetStreamDomain: 'cim' },
      secret: DOMAIN.pass,
    });
    assert.ok(saved, 'the connection was not saved');
    await eventually('the new connection in the tree', async () => (await rows(api)).find(r => r.label === 'seed-domain'));
    const conn = await row(api, undefined, 'seed-domain');
    // connecting uses the stored password: a prompt would hang this test
    const children = await rows(api, conn.node);
    assert.equal(children[0]?.label, 'Server', children.map(r => r.label).join(' | '));
    assert.equal(api.registry.state('settings:seed-domain').kind, 'connected');
    const details = Object.fromEntries((await rows(api, children[0]!.node)).map(r => [r.label, r.description]));
    assert.equal(details['JetStream domain'], 'cim');
    assert.ok(!settingsText().includes(DOMAIN.pass), 'the password is in the settings');
    assert.ok(settingsText().includes('domain_user'), 'the user name should be in the settings');
    assert.ok(!logText(api).includes(DOMAIN.pass), 'the password is in a log or output channel');
  });

  it('refuses to save a connection whose test fails, with the reason', async () => {
    const server = await nats.start({ config: cimDevServerConfig() });
    const saved = await vscode.commands.executeCommand('cimNats.connection.add', {
      config: { name: 'wrong-pass', servers: [server.url], auth: 'user', user: DOMAIN.user },
      secret: 'not-the-password',
    });
    assert.equal(saved, undefined);
    assert.ok(!settingsText().includes('wrong-pass'));
    assert.match(logText(api), /Wrong user or password for nats:\/\/127\.0\.0\.1:\d+ \(user domain_user\): check the credentials\./);
    assert.ok(!logText(api).includes('not-the-password'));
  });

  it('imports natscli contexts as connections, the selected one first and active, their passwords into SecretStorage', async () => {
    const server = await nats.start({ config: cimDevServerConfig() });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'natscli-'));
    fs.mkdirSync(path.join(dir, 'context'));
    fs.writeFileSync(path.join(dir, 'context', 'cim-dev.json'), JSON.stringify({ description: 'CIM dev', url: server.url, user: DOMAIN.user, password: DOMAIN.pass }));
    fs.writeFileSync(path.join(dir, 'context', 'other.json'), JSON.stringify({ url: 'nats://127.0.0.1:1' }));
    fs.writeFileSync(path.join(dir, 'context', 'broken.json'), '{ "url": ');
    fs.writeFileSync(path.join(dir, 'context.txt'), 'cim-dev\n');
    const imported = await vscode.commands.executeCommand('cimNats.connection.importContexts', dir, ['cim-dev', 'other']);
    assert.equal(imported, 2);
    const names = (vscode.workspace.getConfiguration('cimNats').get<{ name: string }[]>('connections') ?? []).map(c => c.name);
    assert.deepEqual(names, ['cim-dev', 'other']);
    assert.ok(!settingsText().includes(DOMAIN.pass), 'the context\'s password went into the settings');
    assert.equal(api.registry.activeId(), 'settings:cim-dev');
    const conn = await eventually('the imported connection', async () => (await rows(api)).find(r => r.label === 'cim-dev'));
    assert.equal((await rows(api, conn.node))[0]?.label, 'Server');
    assert.match(logText(api), /natscli context "broken" is not valid JSON/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows an unreachable server as an error node with the sentence, and the tree stays usable', async () => {
    await setConnections([{ name: 'nowhere', servers: ['nats://127.0.0.1:1'] }]);
    const conn = await eventually('the connection', async () => (await rows(api)).find(r => r.label === 'nowhere'));
    const children = await rows(api, conn.node);
    assert.deepEqual(children.map(r => [r.label, r.item.contextValue]), [['No NATS server answered at nats://127.0.0.1:1: is it running?', 'error']]);
    assert.match((await row(api, undefined, 'nowhere')).description, /^failed/);
    assert.ok((await rows(api)).length >= 2, 'the other connections are gone');
  });

  it('offers no write action on a read-only connection, and refuses one called anyway', async () => {
    const server = await nats.start();
    await seedServer(server.url);
    await setConnections([{ name: 'ro', servers: [server.url], readOnly: true }]);
    await eventually('the read-only connection', async () => (await rows(api)).find(r => r.label === 'ro'));
    const conn = await row(api, undefined, 'ro');
    assert.match(conn.description, /read-only/);
    const events = await row(api, conn.node, 'Domain events');
    const sales = await row(api, events.node, 'DOMAIN_SALES_EVENTS');
    assert.equal(sales.item.contextValue, 'stream.readonly');
    const consumer = (await rows(api, sales.node)).find(r => r.label === 'order-projector')!;
    assert.equal(consumer.item.contextValue, 'consumer.readonly');
    // the manifest's destructive menu entries match only the writable context values
    const menus = (vscode.extensions.getExtension('cowboy-ai.cim-nats')!.packageJSON.contributes.menus['view/item/context'] as { command: string; when: string }[]);
    const destructive = menus.filter(m => /\.(purge|delete)\w*$/.test(m.command));
    assert.ok(destructive.length >= 8);
    // one writable context value, or one with a state that is not read-only (an unavailable stream, a sealed store)
    const writable = /viewItem (== [a-z]+|=~ \/\^[a-z]+\(\\\.(unavailable|sealed|deleted)\)\?\$\/)$/;
    for (const m of destructive) assert.ok(writable.test(m.when) && !m.when.includes('readonly'), m.when);
    const result = await vscode.commands.executeCommand('cimNats.stream.purge', sales.node);
    assert.equal(result, undefined);
    // the log channel writes its file a moment later
    await eventually('the refusal in the log', () => /ro is a read-only connection: purging DOMAIN_SALES_EVENTS is not allowed through it/.test(logText(api)));
    api.explorer.refresh('settings:ro');
    const again = await row(api, (await row(api, (await row(api, undefined, 'ro')).node, 'Domain events')).node, 'DOMAIN_SALES_EVENTS');
    assert.match(again.description, /^5 msgs/);
  });

  it('shows the connection offline while the server is gone, and reloads by itself when it is back', async function () {
    this.timeout(60_000);
    const server = await nats.start();
    await seedServer(server.url);
    await setConnections([{ name: 'flaky', servers: [server.url] }]);
    await eventually('the connection', async () => (await rows(api)).find(r => r.label === 'flaky'));
    const id = 'settings:flaky';
    assert.equal(await vscode.commands.executeCommand('cimNats.connection.connect', id), id);
    assert.match(api.statusBar.text, /flaky \(connected\)/);
    assert.equal((await row(api, (await row(api, undefined, 'flaky')).node, 'Domain events')).description, '2 streams');

    process.kill(server.pid, 'SIGKILL');
    await eventually('the reconnecting state', () => api.registry.state(id).kind === 'reconnecting');
    const offline = await rows(api, (await row(api, undefined, 'flaky')).node);
    assert.equal(offline.length, 1);
    assert.match(offline[0]!.label, /^Offline: .* does not answer\. Reconnecting/);
    assert.match((await row(api, undefined, 'flaky')).description, /^offline, reconnecting/);
    assert.match(api.statusBar.text, /flaky \(reconnecting/);

    let fired = false;
    const sub = api.explorer.onDidChangeTreeData(() => (fired = true));
    try {
      await server.restart();
      await eventually('the connection to come back', () => api.registry.state(id).kind === 'connected', 30_000);
      await eventually('the tree to reload', () => fired);
    } finally {
      sub.dispose();
    }
    assert.equal((await row(api, (await row(api, undefined, 'flaky')).node, 'Domain events')).description, '2 streams');
    assert.match(api.statusBar.text, /flaky \(connected\)/);
  });
});
