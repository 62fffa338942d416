// Stream coverage without a server: the hover and diagnostics come from the algebra's stream layout and say so, and the
// lattice commands answer from the selections.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsWhen, hoverText, ours, waitFor, withCursor } from './helpers';

const ID = '550e8400-e29b-41d4-a716-446655440000';

describe('stream coverage from the algebra\'s layout (no server)', function () {
  before(async () => {
    const ext = vscode.extensions.getExtension('cowboy-ai.cim-nats')!;
    await ext.activate();
  });

  it('names the stream the algebra would store a subject in, and says the algebra was asked', async () => {
    const { doc, pos } = await withCursor('typescript', `export const PLACED = 'dev.domain.sales.order.pla|ced.${ID}';\n`);
    const text = await waitFor('the coverage hover', async () => {
      const t = await hoverText(doc.uri, pos);
      return /Stream coverage/.test(t) ? t : undefined;
    });
    assert.match(text, /from the algebra's stream layout \(CIM-Start\), because no NATS connection is set up/);
    assert.match(text, /`DOMAIN_SALES_EVENTS` — file, limits, max age 30d; subjects `dev\.domain\.sales\.>`/);
    const cfg = vscode.workspace.getConfiguration('cimNats');
    await cfg.update('coverage.source', 'off', vscode.ConfigurationTarget.Workspace);
    try {
      const off = await hoverText(doc.uri, pos);
      assert.doesNotMatch(off, /Stream coverage/);
      // the algebra's own hover stays
      assert.match(off, /\*\*event\*\* `placed`/);
    } finally {
      await cfg.update('coverage.source', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('underlines nothing without a server, and with cimNats.coverage.source algebra warns about a domain the layout lacks, with the fix', async () => {
    const { doc, pos } = await withCursor('typescript', `export const PAID = 'dev.domain.billing.invoice.pa|id.${ID}';\n`);
    // the subject is valid: only coverage could underline it, and without a server it must not
    assert.match(await waitFor('the coverage hover', async () => {
      const t = await hoverText(doc.uri, pos);
      return /Stream coverage/.test(t) ? t : undefined;
    }), /\*\*Not stored:\*\*/);
    await new Promise(r => setTimeout(r, 600));
    assert.deepEqual(ours(doc.uri).map(d => d.code), []);
    const cfg = vscode.workspace.getConfiguration('cimNats');
    await cfg.update('coverage.source', 'algebra', vscode.ConfigurationTarget.Workspace);
    let d: vscode.Diagnostic | undefined;
    try {
      [d] = await diagnosticsWhen(doc.uri, ds => ds.some(x => x.code === 'coverage/uncaptured'), 'the uncaptured warning');
    } finally {
      await cfg.update('coverage.source', undefined, vscode.ConfigurationTarget.Workspace);
    }
    assert.equal(d!.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(d!.message, /would not be stored: no stream in CIM-Start's stream layout .* captures dev\.domain\.billing\.>; create DOMAIN_BILLING_EVENTS/);
    assert.equal(doc.getText(d!.range), `dev.domain.billing.invoice.paid.${ID}`);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d!.range);
    const init = actions.find(a => a.title === 'Initialize CIM streams for billing');
    assert.ok(init, actions.map(a => a.title).join(' | '));
    assert.equal(init.command?.command, 'cimNats.streams.init');
    assert.deepEqual(init.command?.arguments?.[1], { domains: ['billing'], environment: 'dev' });
    await diagnosticsWhen(doc.uri, ds => ds.length === 0, 'the warning to go with the setting');
  });

  it('puts a Coverage report lens at the top of a playbook, after Run all', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'nats', content: '### A\nPUB dev.domain.sales.order.created.1\n{}\n\n### B\nSUB dev.domain.sales.>\n' });
    const lenses = await waitFor('the lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return l.some(x => x.command?.command === 'cimNats.coverage.report') ? l : undefined;
    });
    const onTop = lenses.filter(l => l.range.start.line === 0).map(l => l.command?.title);
    assert.deepEqual(onTop.slice(0, 2), ['$(run-all) Run all (2 blocks)', '$(checklist) Coverage report']);
  });

  it('generalizes the selected lines to their join, and meets two patterns', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: `const a = 'dev.domain.sales.order.created.${ID}';\nconst b = 'dev.domain.sales.invoice.created.${ID}';\n` });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 2, 0);
    const g = await vscode.commands.executeCommand<{ pattern: string; subjects: string[] }>('cimNats.coverage.generalize');
    assert.equal(g.pattern, `dev.domain.sales.*.created.${ID}`);
    editor.selections = [new vscode.Selection(0, 14, 0, 14), new vscode.Selection(1, 14, 1, 14)];
    const o = await vscode.commands.executeCommand<{ meet: string | null; sentence: string }>('cimNats.coverage.overlap');
    assert.equal(o.meet, null);
    assert.match(o.sentence, /token 4 is order in one and invoice in the other/);
    const m = await vscode.commands.executeCommand<{ meet: string | null }>('cimNats.coverage.overlap', { subjects: ['dev.domain.>', '*.domain.sales.*.created.*'] });
    assert.equal(m.meet, 'dev.domain.sales.*.created.*');
  });
});
