// Writing subjects in a real VS Code: diagnostics, quick fixes, completion and hover in .nats, TypeScript and YAML.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { completionLabels, diagnosticsWhen, eventually, hoverText, ours, rangeText, withCursor, workspaceUri } from './helpers';

const codes = (ds: vscode.Diagnostic[]) => ds.map(d => `${d.code} ${rangeText(d.range)}`).sort();

/** Quick fixes at a range; asked again when another language's provider cancels the request. */
async function codeActions(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
    } catch (e) {
      if (attempt >= 5 || !/Canceled/.test(String(e))) throw e;
    }
  }
}

/** Applies the preferred quick fix of each problem in turn until none is left, as a user clicking the light bulb. */
async function fixAll(doc: vscode.TextDocument): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const [d] = ours(doc.uri);
    if (!d) break;
    const actions = await codeActions(doc.uri, d.range);
    const fix = actions.find(a => a.isPreferred);
    assert.ok(fix?.edit, `no quick fix for ${d.code}: ${JSON.stringify(actions.map(a => a.title))}`);
    const version = doc.version;
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await eventually('the document to change', () => doc.version > version);
    await diagnosticsWhen(doc.uri, ds => !ds.some(x => x.range.start.line === d.range.start.line && x.code === d.code), `${d.code} to go`);
  }
  await diagnosticsWhen(doc.uri, ds => ds.length === 0, 'no problem left');
}

async function open(...parts: string[]): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(...parts));
  await vscode.window.showTextDocument(doc);
  return doc;
}

describe('subject diagnostics and quick fixes in a .nats playbook', function () {
  let doc: vscode.TextDocument;
  before(async () => {
    doc = await open('subjects', 'bad.nats');
  });

  it('puts each problem in the Problems panel with its code and the offending token', async () => {
    const ds = await diagnosticsWhen(doc.uri, d => d.length >= 6, 'diagnostics of bad.nats');
    assert.deepEqual(codes(ds), [
      'algebra/legacy-form 6:8-6:13',
      'algebra/missing-tokens 15:33-15:39',
      'algebra/name-rule 15:21-15:32',
      'algebra/name-rule 9:15-9:20',
      'algebra/unknown-category 3:8-3:14',
      'algebra/uuid-rule 12:34-12:37',
    ]);
    const typo = ds.find(d => d.code === 'algebra/unknown-category')!;
    assert.equal(typo.severity, vscode.DiagnosticSeverity.Error);
    assert.match(typo.message, /did you mean "domain"/);
  });

  it('fixes every problem with its preferred quick fix, leaving valid subjects', async () => {
    await fixAll(doc);
    await diagnosticsWhen(doc.uri, ds => ds.length === 0, 'no problem left');
    const text = doc.getText();
    assert.match(text, /^PUB dev\.domain\.sales\.order\.placed\.\{\{id\}\}$/m);
    assert.match(text, /^PUB dev\.domain\.sales\.order\.placed\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/m);
    assert.match(text, /^SUB dev\.domain\.sales\.>$/m);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});

describe('subject literals in source code', function () {
  it('flags a broken subject in TypeScript and leaves hostnames, URLs and file names alone', async () => {
    const doc = await open('subjects', 'subjects.ts');
    const ds = await diagnosticsWhen(doc.uri, d => d.length > 0, 'diagnostics of subjects.ts');
    assert.deepEqual(codes(ds), ['algebra/name-rule 2:40-2:50']);
    assert.match(ds[0]!.message, /"order-item"/);
    await fixAll(doc);
    assert.equal(doc.lineAt(2).text, 'export const BROKEN = "dev.domain.sales.order-item.placed.550e8400-e29b-41d4-a716-446655440000";');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('flags subjects in YAML values', async () => {
    const doc = await open('subjects', 'streams.yaml');
    const ds = await diagnosticsWhen(doc.uri, d => d.length > 0, 'diagnostics of streams.yaml');
    assert.deepEqual(codes(ds), ['algebra/unknown-category 4:12-4:18']);
    await fixAll(doc);
    assert.equal(doc.lineAt(4).text, '      - dev.command.sales.>');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('turns style warnings off with cimNats.diagnostics.style', async () => {
    const { doc } = await withCursor('typescript', "const s = 'prod.command.inventory.product.updated';|");
    await diagnosticsWhen(doc.uri, ds => ds.some(d => d.code === 'style/imperative'), 'the imperative warning');
    const cfg = vscode.workspace.getConfiguration('cimNats');
    await cfg.update('diagnostics.style', false, vscode.ConfigurationTarget.Workspace);
    try {
      await diagnosticsWhen(doc.uri, ds => ds.length === 0, 'style warnings to go');
    } finally {
      await cfg.update('diagnostics.style', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});

describe('completion per token position', function () {
  it('offers categories after the environment in a playbook', async () => {
    const { doc, pos } = await withCursor('nats', 'PUB dev.|');
    const labels = await completionLabels(doc, pos, '.');
    for (const c of ['domain', 'command', 'projection', 'saga', 'snapshot']) assert.ok(labels.includes(c), `${c} in ${labels}`);
  });

  it('offers domains, aggregates and events from the workspace domain definitions', async () => {
    let r = await withCursor('nats', 'PUB dev.domain.|');
    assert.ok((await completionLabels(r.doc, r.pos, '.')).includes('sales'));
    r = await withCursor('nats', 'PUB dev.domain.sales.|');
    assert.ok((await completionLabels(r.doc, r.pos, '.')).includes('order'));
    r = await withCursor('nats', 'PUB dev.domain.sales.order.|');
    const events = await completionLabels(r.doc, r.pos, '.');
    assert.ok(events.includes('placed') && events.includes('shipped'), String(events));
  });

  it('offers wildcards in SUB patterns only', async () => {
    const sub = await withCursor('nats', 'SUB dev.domain.|');
    const labels = await completionLabels(sub.doc, sub.pos, '.');
    assert.ok(labels.includes('*') && labels.includes('>'));
    const pub = await withCursor('nats', 'PUB dev.domain.|');
    assert.ok(!(await completionLabels(pub.doc, pub.pos, '.')).includes('>'));
  });

  it('offers a fresh UUID in an id position', async () => {
    const { doc, pos } = await withCursor('nats', 'PUB dev.domain.sales.order.placed.|');
    const [label] = await completionLabels(doc, pos, '.');
    assert.match(label ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('completes inside a TypeScript string that looks like a subject', async () => {
    const { doc, pos } = await withCursor('typescript', "const s = 'dev.domain.sales.|';");
    assert.ok((await completionLabels(doc, pos, '.')).includes('order'));
  });
});

describe('hover on a subject', function () {
  it('shows the token role, the pattern, the stream and the event from the domain definition', async () => {
    const doc = await open('subjects', 'subjects.ts');
    const line = doc.lineAt(1).text;
    const text = await hoverText(doc.uri, new vscode.Position(1, line.indexOf('placed') + 2));
    assert.match(text, /\*\*event\*\* `placed` — a kebab-case name, past tense/);
    assert.match(text, /\{env\}\.domain\.\{domain\}\.\{aggregate\}\.\{event\}\.\{event_id\}/);
    assert.match(text, /DOMAIN_SALES_EVENTS/);
    assert.match(text, /Event OrderPlaced/);
    assert.match(text, /total_amount/);
  });
});

describe('hover in playbooks and YAML, completion in YAML', function () {
  it('explains a playbook subject token, variables and all', async () => {
    const doc = await open('orders.nats');
    const line = doc.lineAt(4).text;
    const text = await hoverText(doc.uri, new vscode.Position(4, line.indexOf('placed') + 1));
    assert.match(text, /\*\*event\*\* `placed`/);
    assert.match(text, /Event OrderPlaced/);
  });

  it('explains a subject in a YAML value', async () => {
    const doc = await open('subjects', 'streams.yaml');
    const text = await hoverText(doc.uri, new vscode.Position(3, doc.lineAt(3).text.indexOf('sales') + 1));
    assert.match(text, /\*\*domain\*\* `sales`/);
    assert.match(text, /DOMAIN_SALES_EVENTS/);
  });

  it('shows no subject hover on an ordinary string', async () => {
    const doc = await open('subjects', 'subjects.ts');
    assert.equal(await hoverText(doc.uri, new vscode.Position(3, doc.lineAt(3).text.indexOf('example') + 1)), '');
  });

  it('completes a YAML value', async () => {
    const { doc, pos } = await withCursor('yaml', 'subjects:\n  - dev.domain.sales.|');
    assert.ok((await completionLabels(doc, pos, '.')).includes('order'));
  });
});

describe('the algebra file', function () {
  const file = () => workspaceUri('.cim', 'algebra.json');
  after(async () => {
    await vscode.workspace.fs.delete(workspaceUri('.cim'), { recursive: true }).then(undefined, () => undefined);
    const { doc } = await withCursor('nats', 'PUB dev.domian.sales.order.placed.550e8400-e29b-41d4-a716-446655440000|');
    await diagnosticsWhen(doc.uri, d => d.some(x => x.code === 'algebra/unknown-category'), 'the built-in algebra back once the file is gone');
  });

  it('reports a broken file on the file and keeps the built-in algebra working', async () => {
    await vscode.workspace.fs.writeFile(file(), new TextEncoder().encode('{ "name": "Broken", "categories": [] }\n'));
    await vscode.commands.executeCommand('cimNats.algebra.reload');
    const ds = await diagnosticsWhen(file(), d => d.length > 0, 'a diagnostic on the broken algebra file');
    assert.match(ds[0]!.message, /categories/);
    const { doc } = await withCursor('nats', 'PUB dev.domian.sales.order.placed.550e8400-e29b-41d4-a716-446655440000|');
    await diagnosticsWhen(doc.uri, d => d.some(x => x.code === 'algebra/unknown-category'), 'the default algebra at work');
  });

  it('validates the file against the schema generated from the engine', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file()));
    // the JSON language service, not this extension, reports schema errors: `categories` must not be empty
    const ds = await eventually('JSON schema diagnostics', () => {
      const found = vscode.languages.getDiagnostics(file()).filter(d => d.source !== 'cim-nats');
      return found.length ? found : undefined;
    });
    assert.ok(ds.some(d => /too few items|Expected 1 or more/i.test(d.message)), ds.map(d => d.message).join('; '));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', file(), new vscode.Position(0, 2));
    const labels = list.items.map(i => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.some(l => l.includes('environments')), labels.join(', '));
  });

  it('re-checks open documents when a valid algebra file is saved', async () => {
    const { doc } = await withCursor('nats', 'PUB qa.evt.order.placed|');
    await diagnosticsWhen(doc.uri, d => d.some(x => x.code === 'algebra/unknown-environment'), 'qa unknown under CIM-Start');
    const algebra = {
      name: 'Team algebra',
      environments: ['qa'],
      prefix: [{ role: 'env', rule: 'environment' }],
      categories: [{ name: 'evt', tokens: [{ role: 'aggregate', rule: 'name' }, { role: 'event', rule: 'name', style: 'past-tense' }] }],
    };
    // the way a user does it: edit the file in the editor and save
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file()));
    await editor.edit(e => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), JSON.stringify(algebra, null, 2)));
    assert.ok(await editor.document.save());
    await diagnosticsWhen(doc.uri, d => d.length === 0, 'the team algebra to accept qa.evt');
    await diagnosticsWhen(file(), d => d.length === 0, 'no diagnostic on the valid file');
  });
});

describe('large documents', function () {
  it('still get diagnostics for a 50,000-line playbook (linted in a worker thread)', async function () {
    this.timeout(120_000);
    const block = '### Place\nPUB dev.domain.sales.order.placed.{{uuid}}\nNats-Msg-Id: {{uuid}}\n\n{"total": 1}\n';
    const text = block.repeat(10_000) + '###\nPUB dev.domian.sales.order.placed.{{uuid}}\n';
    const doc = await vscode.workspace.openTextDocument({ language: 'nats', content: text });
    assert.ok(doc.lineCount > 50_000);
    const ds = await diagnosticsWhen(doc.uri, d => d.length > 0, 'diagnostics of the large playbook');
    assert.equal(ds.length, 1, ds[0]?.message);
    assert.deepEqual(codes(ds), [`algebra/unknown-category ${doc.lineCount - 2}:8-${doc.lineCount - 2}:14`]);
  });
});

describe('playbook folding', function () {
  it('folds each ### block', async () => {
    const doc = await open('orders.nats');
    const ranges = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', doc.uri);
    const starts = ranges.filter(r => r.kind === vscode.FoldingRangeKind.Region).map(r => doc.lineAt(r.start).text);
    assert.deepEqual(starts.filter(t => t.startsWith('###')), ['### Place an order', '### Watch every event of the sales domain', '### Refresh the order summary']);
  });
});

describe('a broken domain definition', function () {
  const file = () => workspaceUri('domains', 'broken', 'domain-definition.yaml');
  after(async () => {
    await vscode.workspace.fs.delete(workspaceUri('domains', 'broken'), { recursive: true }).then(undefined, () => undefined);
  });

  it('is reported on its line while the other definitions keep feeding completion', async () => {
    // written the way a user does: a new file in the editor, saved
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(file(), { contents: new TextEncoder().encode('domain:\n  name: broken\nevents:\n  - name: [unclosed\n') });
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await (await vscode.workspace.openTextDocument(file())).save() !== undefined);
    const ds = await diagnosticsWhen(file(), d => d.length > 0, 'a diagnostic on the broken definition');
    assert.match(ds[0]!.message, /YAML/);
    const { doc, pos } = await withCursor('nats', 'PUB dev.domain.sales.order.|');
    assert.ok((await completionLabels(doc, pos, '.')).includes('placed'));
  });
});
