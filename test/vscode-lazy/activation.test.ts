// Activation is lazy: in a workspace with nothing of ours, the extension stays inactive until a .nats file opens,
// and activating loads no NATS code (dist/nats.js), so it can have connected to no NATS server.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { eventually, workspaceUri } from '../vscode/helpers';

const EXTENSION_ID = 'cowboy-ai.cim-nats';

function natsBundleLoaded(ext: vscode.Extension<unknown>): boolean {
  return path.join(ext.extensionPath, 'dist', 'nats.js') in require.cache;
}

describe('lazy activation', function () {
  it('is not active before a playbook is opened, unless VS Code itself opened a document of a language it checks', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'the extension is not installed');
    if (!ext.isActive) return;
    // built-in extensions sometimes open a JSON document of their own in the host (onLanguage:json is ours by design)
    const languages = new Set((ext.packageJSON as { activationEvents: string[] }).activationEvents.filter(e => e.startsWith('onLanguage:')).map(e => e.slice('onLanguage:'.length)));
    const open = vscode.workspace.textDocuments.map(d => `${d.languageId} ${d.uri.toString()}`);
    assert.ok(vscode.workspace.textDocuments.some(d => languages.has(d.languageId)), `active with no document of its languages open: ${open.join(', ') || 'none'}`);
    assert.equal(natsBundleLoaded(ext), false, 'activation loaded the NATS code (dist/nats.js)');
  });

  it('activates when a .nats file opens, loads no NATS code and dials no NATS server', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    // `npm run bench` (bench/activation.bench.ts) times what VS Code does on activation, then the NATS code's first load
    const benchFile = process.env.CIM_NATS_BENCH_ACTIVATION;
    const t0 = performance.now();
    if (benchFile) await ext.activate();
    const activateMs = performance.now() - t0;
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceUri('tail.nats')));
    await eventually('the extension to activate', () => ext.isActive);
    // every connection goes through the NATS client in dist/nats.js: not loaded means nothing was dialled
    assert.equal(natsBundleLoaded(ext), false, 'activation loaded the NATS code (dist/nats.js)');
    const log = process.env.CIM_NATS_TEST_DECOY_LOG;
    assert.ok(log, 'run through scripts/harness/run-vscode-tests.mjs');
    assert.equal(fs.readFileSync(log, 'utf8'), '', 'the extension connected to the NATS decoy');
    if (benchFile) {
      const t1 = performance.now();
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- timing the bundle's first load is the point
      require(path.join(ext.extensionPath, 'dist', 'nats.js'));
      fs.writeFileSync(benchFile, JSON.stringify({ activateMs, natsLoadMs: performance.now() - t1 }));
    }
  });
});
