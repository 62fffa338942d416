// What lives as long as a connection's session goes with it: disconnecting stops its tails, says why, and leaves no
// consumer behind.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { connectedTo } from './explorerSupport';

describe('a connection\'s scope', function () {
  const nats = useNatsServer({ session: true });
  let api: ExtensionApi;

  before(async () => {
    api = await connectedTo(nats, 'scoped');
  });
  afterEach(() => api.tails.stopAll());

  it('stops the connection\'s tails when it disconnects, saying why, with no consumer left', async () => {
    const tail = await vscode.commands.executeCommand<{ lines: string[] }>('cimNats.tail.start', undefined, { connection: 'settings:scoped', pattern: 'dev.domain.sales.>', from: { last: 1 } });
    await eventually('the tail\'s first message', () => tail.lines.some(l => /^#\d+ /.test(l)));
    assert.equal(api.tails.list().length, 1);
    await vscode.commands.executeCommand('cimNats.connection.disconnect', 'settings:scoped');
    await eventually('the tail to stop', () => api.tails.list().length === 0 && /^# The tail stopped \(the connection scoped was closed\)/.test(tail.lines.at(-1) ?? ''));
    await eventually('no consumer of the tail left', async () => (await (await nats.jsm()).streams.info('DOMAIN_SALES_EVENTS')).state.consumer_count === 1);
  });
});
