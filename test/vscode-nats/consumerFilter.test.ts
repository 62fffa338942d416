// Create Consumer… with the guide's filter, which reaches beyond its stream: Enter takes the meet (what the filter can
// ever see on the stream), the preview shows it with ack_wait in seconds, and the consumer sees the order events.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { useNatsServer } from '../support/natsFixture';
import { connectedTo, extensionErrors, row } from './explorerSupport';
import { acceptingFirstItems } from './quickPicks';

describe('Create Consumer… with a filter reaching beyond the stream', function () {
  const nats = useNatsServer({ session: true });
  let api: ExtensionApi;

  before(async () => {
    api = await connectedTo(nats, 'filters');
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`extension errors:\n${extensionErrors(api)}`);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('takes the meet with one key, previews ack_wait as 30s, and the consumer sees the order events', async () => {
    const conn = await row(api, undefined, 'filters');
    const sales = await row(api, (await row(api, conn.node, 'Domain events')).node, 'DOMAIN_SALES_EVENTS');
    // each prompt is accepted as it stands: the name and the guide's filter as typed, then the first choice or default
    const created = await acceptingFirstItems(() => vscode.commands.executeCommand<{ name: string; num_pending: number; config: { filter_subject?: string } } | undefined>(
      'cimNats.consumer.create', sales.node, { typed: { durable: 'order-watch', filter: '*.domain.sales.order.>' }, confirmed: true }));
    assert.ok(created, 'no consumer was created');
    assert.deepEqual([created.name, created.config.filter_subject, created.num_pending], ['order-watch', 'dev.domain.sales.order.>', 5]);
    const preview = vscode.workspace.textDocuments.find(d => d.uri.scheme === 'cimnats-info' && d.uri.path.endsWith('order-watch.new-consumer.json'));
    assert.ok(preview, 'the config preview was not opened');
    assert.match(preview.getText(), /"filter_subject": "dev\.domain\.sales\.order\.>"/);
    assert.match(preview.getText(), /"ack_wait": "30s"/);
    const info = await (await nats.jsm()).consumers.info('DOMAIN_SALES_EVENTS', 'order-watch');
    assert.equal(info.num_pending, 5);
  });
});
