// Initialize CIM Streams… chooses what the user chose: a domain typed into the picker that matches none of the
// workspace's domains is planned (and nothing else: no domain is checked beforehand); the plan and the result open
// rendered in the Markdown preview.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { connectedTo, extensionErrors } from './explorerSupport';
import { acceptingFirstItems, markdownPreviewTab } from './quickPicks';

describe('Initialize CIM Streams picker', function () {
  const nats = useNatsServer({ session: true });
  let api: ExtensionApi;

  before(async () => {
    api = await connectedTo(nats, 'initpick', false);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`extension errors:\n${extensionErrors(api)}`);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('plans the domain typed into the picker, and not the workspace\'s domain nobody checked', async () => {
    // the workspace defines the sales domain: it is offered, not checked; Enter takes the typed text
    const results = await acceptingFirstItems(() => vscode.commands.executeCommand<{ name: string; action: string }[] | undefined>('cimNats.streams.init', undefined,
      { connection: 'settings:initpick', environment: 'dev', typed: 'billing', confirmed: true }));
    assert.ok(Array.isArray(results), 'nothing was applied');
    assert.ok(results.some(r => r.name === 'DOMAIN_BILLING_EVENTS' && r.action === 'created'), results.map(r => `${r.name} ${r.action}`).join(', '));
    const names: string[] = [];
    for await (const n of (await nats.jsm()).streams.names()) names.push(n);
    assert.ok(!names.some(n => n.includes('SALES')), `a sales stream was made: ${names.join(', ')}`);
    // the result opened rendered, its source (the plan with what was done) one click away
    await eventually('the Markdown preview', () => markdownPreviewTab());
    const source = vscode.workspace.textDocuments.find(d => d.uri.scheme === 'cimnats-info' && d.uri.path.endsWith('/init-dev-result.md'));
    assert.ok(source, 'the report\'s source is not loaded');
    assert.match(source.getText(), /- \*\*Domains:\*\* billing\n/);
  });
});
