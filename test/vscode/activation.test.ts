// The extension in a real VS Code: it activates on a .nats file, registers every declared command, shows its
// view container, and opens no NATS connection on the way.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { diagnosticsIdle, eventually } from './helpers';

const EXTENSION_ID = 'cowboy-ai.cim-nats';


/** Ports a NATS client of this host could have dialled: the default, the runner's decoys, a test server. */
function natsPorts(): Set<number> {
  const urls = [...(process.env.CIM_NATS_TEST_DECOY_URLS ?? '').split(','), process.env.CIM_NATS_TEST_NATS_URL ?? ''];
  return new Set([4222, ...urls.filter(Boolean).map(u => Number(new URL(u).port))]);
}

function openSocketsTo(ports: Set<number>): string[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles
    .filter((h): h is net.Socket => h instanceof net.Socket && ports.has(h.remotePort ?? -1))
    .map(s => `${s.remoteAddress}:${s.remotePort}`);
}

describe('activation in VS Code', function () {
  let ext: vscode.Extension<unknown>;
  let doc: vscode.TextDocument;

  before(async function () {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not installed in this VS Code`);
    ext = found;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the fixture workspace is not open');
    doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'orders.nats'));
    await vscode.window.showTextDocument(doc);
    await eventually(`${EXTENSION_ID} to activate`, () => ext.isActive);
  });

  it('opens .nats files in its own language and is active', function () {
    assert.equal(doc.languageId, 'nats');
    assert.equal(ext.isActive, true);
  });

  it('registers every command that package.json contributes', async function () {
    const declared = (ext.packageJSON.contributes.commands as { command: string }[]).map(c => c.command);
    assert.ok(declared.length > 0, 'package.json declares no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter(c => !registered.has(c)), []);
  });

  it('shows the CIM NATS view container with the Subject Algebra view', async function () {
    const registered = new Set(await vscode.commands.getCommands(true));
    // VS Code generates these two commands only for a contributed container and view it knows
    assert.ok(registered.has('workbench.view.extension.cimNats'), 'no view container cimNats');
    assert.ok(registered.has('cimNats.algebra.focus'), 'no view cimNats.algebra');
    await vscode.commands.executeCommand('workbench.view.extension.cimNats');
    await vscode.commands.executeCommand('cimNats.algebra.focus');
  });

  it('opened no NATS connection while activating', async function () {
    // The runner's decoy greets like a NATS server on 4222 (a client's default) and on a free port, logging every
    // accepted connection; a client that dialled NATS on activation shows up there or as an open socket here.
    const log = process.env.CIM_NATS_TEST_DECOY_LOG;
    assert.ok(log, 'CIM_NATS_TEST_DECOY_LOG is not set: run this suite through scripts/harness/run-vscode-tests.mjs');
    await vscode.commands.executeCommand('cimNats.algebra.reload');
    // the reload re-checks every open document (subjects and coverage): what could dial a server has run once idle
    await diagnosticsIdle();
    assert.equal(fs.readFileSync(log, 'utf8'), '', 'the extension connected to the NATS decoy');
    assert.deepEqual(openSocketsTo(natsPorts()), []);
  });
});
