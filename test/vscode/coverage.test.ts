// Stream coverage without a server: the hover and diagnostics come from the algebra's stream layout and say so, and the
// lattice commands answer from the selections.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { preset } from '../../src/core';
import { CoverageIndex, layoutFromServer } from '../../src/core/coverage';
import { CoverageDiagnostics } from '../../src/vscode/coverage/coverageDiagnostics';
import type { CoverageDocuments } from '../../src/vscode/coverage/coverageDocuments';
import type { CoverageView } from '../../src/vscode/coverage/coverageService';
import { documentSubjects } from '../../src/core/coverage/documentSubjects';
import { diagnosticsIdle, diagnosticsWhen, eventually, hoverText, ours, withCursor } from './helpers';

const ID = '550e8400-e29b-41d4-a716-446655440000';

/** Runs `body` with cimNats.coverage.source set (for the workspace), and resets it whatever happens. */
async function withCoverageSource(source: 'algebra' | 'server' | 'off', body: () => Promise<void>): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('cimNats');
  await cfg.update('coverage.source', source, vscode.ConfigurationTarget.Workspace);
  try {
    await body();
  } finally {
    await cfg.update('coverage.source', undefined, vscode.ConfigurationTarget.Workspace);
  }
}

/** The quick fixes at a range, in the order VS Code's light bulb lists them. */
function codeActions(uri: vscode.Uri, range: vscode.Range): Thenable<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
}

describe('stream coverage from the algebra\'s layout (no server)', function () {
  before(async () => {
    const ext = vscode.extensions.getExtension('cowboy-ai.cim-nats')!;
    await ext.activate();
  });

  it('names the stream the algebra would store a subject in, and says the algebra was asked', async () => {
    const { doc, pos } = await withCursor('typescript', `export const PLACED = 'dev.domain.sales.order.pla|ced.${ID}';\n`);
    const text = await eventually('the coverage hover', async () => {
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
    assert.match(await eventually('the coverage hover', async () => {
      const t = await hoverText(doc.uri, pos);
      return /Stream coverage/.test(t) ? t : undefined;
    }), /\*\*Not stored:\*\*/);
    await diagnosticsIdle();
    assert.deepEqual(ours(doc.uri).map(d => d.code), []);
    // every check that needs the setting runs while it is in force: once reset, the warning and its fixes go
    await withCoverageSource('algebra', async () => {
      const [d] = await diagnosticsWhen(doc.uri, ds => ds.some(x => x.code === 'coverage/uncaptured'), 'the uncaptured warning');
      assert.equal(d!.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(d!.message, /would not be stored: no stream in CIM-Start's stream layout .* captures dev\.domain\.billing\.>; create DOMAIN_BILLING_EVENTS/);
      assert.equal(doc.getText(d!.range), `dev.domain.billing.invoice.paid.${ID}`);
      const actions = await codeActions(doc.uri, d!.range);
      const init = actions.find(a => a.title === 'Initialize CIM streams for billing');
      assert.ok(init, actions.map(a => a.title).join(' | '));
      assert.equal(init.isPreferred, true);
      assert.equal(init.command?.command, 'cimNats.streams.init');
      assert.deepEqual(init.command?.arguments?.[1], { domains: ['billing'], environment: 'dev' });
    });
    await diagnosticsWhen(doc.uri, ds => ds.length === 0, 'the warning to go with the setting');
  });

  it('checks a misspelt domain as the rename writes it, offers the rename first and no fix that would fail', async () => {
    const text = `export const A = 'dev.domain.Sa|les.order.created.123';\nexport const B = 'dev.domain.Billing.invoice.paid.${ID}';\nexport const C = 'dev.domain.Salés.order.created.${ID}';\n`;
    const { doc, pos } = await withCursor('typescript', text);
    await withCoverageSource('algebra', async () => {
      const ds = await diagnosticsWhen(doc.uri, x => x.some(d => d.code === 'coverage/uncaptured' && d.range.start.line === 1), 'the billing warning');
      await diagnosticsIdle();
      const on = (line: number) => ours(doc.uri).filter(d => d.range.start.line === line).map(d => d.code).sort();
      // renamed to sales, the event is DOMAIN_SALES_EVENTS': nothing for coverage to say
      assert.deepEqual(on(0), ['algebra/name-rule', 'algebra/uuid-rule']);
      assert.match(await hoverText(doc.uri, pos), /As written no stream captures it; checked as renamed to `dev\.domain\.sales\.order\.created\.123`\.[\s\S]*`DOMAIN_SALES_EVENTS`/);
      const sales = await codeActions(doc.uri, doc.lineAt(0).range);
      assert.equal(sales[0]?.title, 'Rename to "sales"');
      assert.equal(sales[0]?.isPreferred, true);
      assert.ok(!sales.some(a => /Initialize/.test(a.title)), sales.map(a => a.title).join(' | '));
      // billing has no stream in the layout: its Initialize names the renamed domain and comes after the rename
      const billing = ds.find(d => d.code === 'coverage/uncaptured' && d.range.start.line === 1)!;
      assert.match(billing.message, /^dev\.domain\.Billing\.invoice\.paid\.\S+ renamed to dev\.domain\.billing\.invoice\.paid\.\S+ would not be stored: .*; create DOMAIN_BILLING_EVENTS with cim-nats init-streams --env dev billing$/);
      const fixes = await codeActions(doc.uri, billing.range);
      assert.deepEqual(fixes.map(a => [a.title, !!a.isPreferred]), [['Rename to "billing"', true], ['Initialize CIM streams for billing', false]]);
      assert.deepEqual(fixes[1]!.command?.arguments?.[1], { domains: ['billing'], environment: 'dev' });
      // a name with no rename (é): no Initialize at all, the warning says why
      const accent = ours(doc.uri).find(d => d.code === 'coverage/uncaptured' && d.range.start.line === 2);
      assert.match(accent?.message ?? '', /no stream can be created for the domain "Salés" until it is a kebab-case name/);
      assert.deepEqual((await codeActions(doc.uri, accent!.range)).filter(a => /Initialize/.test(a.title)), []);
    });
  });

  it('keeps the newer of two coverage updates when the older finishes last', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: `export const PAID = 'dev.domain.billing.invoice.paid.${ID}';\n` });
    const algebra = preset('cim-start');
    const layout = (billing: boolean) => new CoverageIndex(layoutFromServer('guard', [
      { name: 'DOMAIN_SALES_EVENTS', subjects: ['dev.domain.sales.>'] },
      ...(billing ? [{ name: 'DOMAIN_BILLING_EVENTS', subjects: ['dev.domain.billing.>'] }] : []),
    ]));
    const view = (billing: boolean): CoverageView => ({ source: { kind: 'server', connection: 'guard' }, index: layout(billing), algebra });
    // the streams as each update reads them: the first update started sees no billing stream, the second sees it
    const answers: Promise<CoverageView>[] = [];
    const changed = new vscode.EventEmitter<void>();
    const service = { view: () => answers.shift() ?? Promise.resolve(view(true)), shapeIndex: () => layout(false), onDidChange: changed.event };
    const docs = { covers: (d: vscode.TextDocument) => d === doc, subjects: async () => documentSubjects(algebra, doc.getText(), 'source') };
    const diagnostics = new CoverageDiagnostics(docs as unknown as CoverageDocuments, service);
    try {
      await diagnostics.idle();
      assert.deepEqual(diagnostics.collection.get(doc.uri)?.map(d => d.code), []);
      let older!: (v: CoverageView) => void;
      answers.push(new Promise(r => (older = r)), Promise.resolve(view(true)));
      const first = diagnostics.update(doc);
      await diagnostics.update(doc);
      assert.deepEqual(diagnostics.collection.get(doc.uri)?.map(d => d.code), []);
      older(view(false));
      await first;
      await diagnostics.idle();
      // the older answer (no billing stream) would underline the subject: the newer one holds
      assert.deepEqual(diagnostics.collection.get(doc.uri)?.map(d => d.code), []);
    } finally {
      diagnostics.dispose();
      changed.dispose();
    }
  });

  it('puts a Coverage report lens at the top of a playbook, after Run all', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'nats', content: '### A\nPUB dev.domain.sales.order.created.1\n{}\n\n### B\nSUB dev.domain.sales.>\n' });
    const lenses = await eventually('the lenses', async () => {
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
