// Activation is lazy: in a workspace with nothing of ours, the extension stays inactive until a .nats file opens,
// and activating connects to no NATS server.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { waitFor, workspaceUri } from '../vscode/helpers';

describe('lazy activation', function () {
  it('is not active before a playbook is opened', () => {
    const ext = vscode.extensions.getExtension('cowboy-ai.cim-nats');
    assert.ok(ext, 'the extension is not installed');
    assert.equal(ext.isActive, false);
  });

  it('activates when a .nats file opens, and dials no NATS server', async () => {
    const ext = vscode.extensions.getExtension('cowboy-ai.cim-nats')!;
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceUri('tail.nats')));
    await waitFor('the extension to activate', () => ext.isActive);
    await new Promise(r => setTimeout(r, 500));
    const log = process.env.CIM_NATS_TEST_DECOY_LOG;
    assert.ok(log, 'run through scripts/harness/run-vscode-tests.mjs');
    assert.equal(fs.readFileSync(log, 'utf8'), '', 'the extension connected to the NATS decoy');
  });
});
