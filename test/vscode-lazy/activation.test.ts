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
    const ext = vscode.extensions.getExtension<{ logUri: vscode.Uri }>(EXTENSION_ID);
    assert.ok(ext, 'the extension is not installed');
    if (!ext.isActive) return;
    // VS Code itself sometimes opens (and closes) a JSONC document at start-up, e.g. a settings file, which fires our
    // onLanguage:jsonc: the extension host's log names the event, which must be one of ours and not a start-up event
    const hostLogs = fs.readdirSync(path.dirname(ext.exports.logUri.fsPath)).filter(f => /exthost\.log$/.test(f));
    const text = hostLogs.map(f => fs.readFileSync(path.join(path.dirname(ext.exports.logUri.fsPath), f), 'utf8')).join('\n');
    const reason = new RegExp(`_doActivateExtension ${EXTENSION_ID.replace('.', '\\.')}, startup: (\\w+), activationEvent: '([^']+)'`).exec(text);
    assert.ok(reason, `active, and the extension host's log (${hostLogs.join(', ') || 'none found'}) does not say why`);
    const events = (ext.packageJSON as { activationEvents: string[] }).activationEvents;
    assert.deepEqual([reason[1], events.includes(reason[2]!)], ['false', true], `activated by ${reason[2]} (startup: ${reason[1]})`);
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
