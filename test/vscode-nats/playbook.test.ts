// Playbooks against a real server in a real VS Code: lenses per block, a PUB lands once in its stream with its
// envelope and Nats-Msg-Id, the same send again is reported duplicate, and a block with errors does not run.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { connectNats } from '../../src/nats/connection/connect';
import { startNatsServer, type RunningNatsServer } from '../../dev/localServer';
import type { ExplorerApi } from '../../src/vscode/explorer/register';
import { workspaceUri } from '../vscode/helpers';
import { explorerApi, rows, seedServer, setConnections, waitFor } from './explorerSupport';

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
`;

describe('playbooks', function () {
  let api: ExplorerApi;
  let server: RunningNatsServer;
  let uri: vscode.Uri;

  before(async () => {
    api = await explorerApi();
    server = await startNatsServer();
    await seedServer(server.url);
    await setConnections([{ name: 'playbooks', servers: [server.url] }]);
    await waitFor('the connection', async () => (await rows(api)).find(r => r.label === 'playbooks'));
    uri = workspaceUri('publish-test.nats');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(PLAYBOOK));
    await vscode.window.showTextDocument(uri);
  });
  after(async () => {
    await api.tails.stopAll();
    await setConnections([]);
    await server.stop();
  });

  it('shows Run all, a Publish lens, an error lens on the broken block and a Tail lens', async () => {
    const lenses = await waitFor('the lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l.filter(x => x.command?.title).length >= 4 ? l : undefined;
    });
    const titles = lenses.map(l => l.command?.title ?? '');
    assert.equal(titles[0], '$(run-all) Run all (3 blocks)');
    assert.ok(titles.includes('$(play) Publish'), titles.join(' | '));
    assert.ok(titles.includes('$(pulse) Tail'), titles.join(' | '));
    assert.ok(titles.some(t => t.startsWith('$(error) ') && /nope/.test(t)), titles.join(' | '));
  });

  it('publishes a block into its stream with Nats-Msg-Id = the event id, and says duplicate the second time', async () => {
    const [first] = await vscode.commands.executeCommand<{ kind: string; stream: string; seq: number; duplicate: boolean }[]>('cimNats.playbook.runBlock', uri, 0);
    assert.deepEqual([first?.kind, first?.stream, first?.duplicate], ['stored', 'DOMAIN_SALES_EVENTS', false]);
    const [second] = await vscode.commands.executeCommand<{ kind: string; seq: number; duplicate: boolean }[]>('cimNats.playbook.runBlock', uri, 0);
    assert.deepEqual([second?.kind, second?.seq, second?.duplicate], ['stored', first?.seq, true]);
    const session = await connectNats({ servers: server.url });
    const m = await (await session.jetstreamManager()).streams.getMessage('DOMAIN_SALES_EVENTS', { seq: first!.seq });
    await session.close();
    assert.equal(m?.subject, `dev.domain.sales.order.placed.${ID}`);
    assert.equal(m?.header.get('Nats-Msg-Id'), ID);
    assert.deepEqual(m?.json(), { event_id: ID, data: { total: 42 } });
  });

  it('does not run a block with errors, and says why', async () => {
    const [r] = await vscode.commands.executeCommand<{ kind: string; reason: string }[]>('cimNats.playbook.runBlock', uri, 1);
    assert.equal(r?.kind, 'invalid');
    assert.match(r!.reason, /nope/);
  });

  it('tails a SUB block in its own channel, its variables and {{env}} resolved', async () => {
    await vscode.commands.executeCommand('cimNats.playbook.runBlock', uri, 2);
    assert.deepEqual(api.tails.list().map(t => t.pattern), ['dev.domain.sales.order.>']);
  });

  it('tests the CIM set-up: every sample lands in the stream the algebra names, and a missing stream is named', async () => {
    const first = await vscode.commands.executeCommand<{ ok: boolean; rows: { category: string; verdict: string }[] }>('cimNats.setup.test', undefined, { connection: 'settings:playbooks', domains: ['sales'], environment: 'dev' });
    // the seeded commands stream keeps messages only for an interested consumer, and has none: that is the one failure
    const failed = first.rows.filter(r => r.verdict !== 'ok');
    assert.deepEqual(failed.map(r => r.category), ['command'], JSON.stringify(failed));
    assert.match(failed[0]!.verdict, /interest retention/);
    assert.ok(first.rows.filter(r => r.category === 'domain').every(r => r.verdict === 'ok'));
    const missing = await vscode.commands.executeCommand<{ ok: boolean; rows: { category: string; verdict: string }[] }>('cimNats.setup.test', undefined, { connection: 'settings:playbooks', domains: ['billing'], environment: 'dev' });
    assert.equal(missing.ok, false);
    assert.ok(missing.rows.some(r => /DOMAIN_BILLING_EVENTS/.test(r.verdict)), JSON.stringify(missing.rows));
  });
});
