// Stream coverage against a real server in a real VS Code: the hover names the server's stream (and counts a pattern's
// messages), an uncaptured domain event is underlined with a quick fix that creates its streams, the server's names
// complete, the report opens with the uncaptured subject first, and Generalize Subjects joins selected lines.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { hoverText, ours, workspaceUri } from '../vscode/helpers';
import { explorerApi, rows, seedServer, setConnections } from './explorerSupport';

const ID = '6f1c2a52-8d1e-4c4b-9a55-1a2b3c4d5e6f';
const LINES = [
  `export const CREATED = 'dev.domain.sales.order.created.${ID}';`,
  `export const SHIPPED = 'dev.domain.sales.order.shipped.${ID}';`,
  `export const ORDERS = 'dev.domain.sales.order.>';`,
  `export const RETURNED = 'dev.domain.returns.parcel.returned.${ID}';`,
  `export const PAID = 'dev.domain.billing.invoice.paid.${ID}';`,
];
const CONNECTION = 'settings:coverage';

/** The position inside line `line`'s subject, a few characters in. */
const inSubject = (line: number) => new vscode.Position(line, LINES[line]!.indexOf("'") + 5);

async function coverageHover(uri: vscode.Uri, pos: vscode.Position, ok: RegExp): Promise<string> {
  let last = '';
  try {
    return await eventually(`a coverage hover matching ${ok}`, async () => {
      last = await hoverText(uri, pos);
      return ok.test(last) ? last : undefined;
    });
  } catch (e) {
    throw new Error(`${(e as Error).message}; last hover:\n${last}`);
  }
}

describe('stream coverage against a server', function () {
  const nats = useNatsServer({ session: true });
  let api: ExtensionApi;
  let uri: vscode.Uri;

  before(async () => {
    api = await explorerApi();
    await seedServer(nats.url);
    // an aggregate only the server knows: no domain definition names it
    await nats.session.jetstream().publish(`dev.domain.sales.refund.issued.${ID}`, '{}');
    uri = workspaceUri('coverage-test.ts');
    // the editors close, the connection and the file go before the server stops (the fixture's clean-ups run first)
    nats.defer(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await setConnections([]);
      await vscode.workspace.fs.delete(uri);
    });
    await setConnections([{ name: 'coverage', servers: [nats.url], environment: 'dev' }]);
    await eventually('the connection', async () => (await rows(api)).find(r => r.label === 'coverage'));
    await api.registry.setActive(CONNECTION);
    await api.registry.session(CONNECTION);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(LINES.join('\n') + '\n'));
    await vscode.window.showTextDocument(uri);
  });

  it('names the server stream that captures a subject, with its storage, retention, max age, replicas and messages', async () => {
    const text = await coverageHover(uri, inSubject(0), /from the streams on \*\*coverage\*\*/);
    assert.match(text, /Stored by stream:/);
    assert.match(text, /`DOMAIN_SALES_EVENTS` — file, limits, max age \w+, 1 replica, 6 messages; subjects `dev\.domain\.sales\.>`/);
  });

  it('says a subject of a domain without streams is not stored on the server', async () => {
    const text = await coverageHover(uri, inSubject(3), /Stream coverage/);
    assert.match(text, /\*\*Not stored:\*\* dev\.domain\.returns\.parcel\.returned\.\S+ would not be stored: no stream on coverage captures dev\.domain\.returns\.>/);
  });

  it('counts the messages of each capturing stream a pattern matches, with its event types', async () => {
    const text = await coverageHover(uri, inSubject(2), /matches \d+ messages/);
    assert.match(text, /Stored whole by stream:/);
    assert.match(text, /`DOMAIN_SALES_EVENTS` — .*\n\s+- matches 5 messages; event types: `order\.created` 3, `order\.shipped` 2/);
  });

  it('offers an aggregate only the server holds in completion, marked as the server\'s', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: "const s = 'dev.domain.sales.';" });
    const pos = new vscode.Position(0, "const s = 'dev.domain.sales.".length);
    const item = await eventually('refund in the completion list', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos, '.');
      return list.items.find(i => (typeof i.label === 'string' ? i.label : i.label.label) === 'refund');
    });
    assert.equal(typeof item.label === 'string' ? undefined : item.label.description, 'aggregate on server coverage');
  });

  it('opens the coverage report as Markdown with the uncaptured subjects first, linked to their lines', async () => {
    const report = await vscode.commands.executeCommand<{ data: { subjects: { subject: string; streams: unknown[]; problems: { code: string }[] }[] }; markdown: string; uri: string }>('cimNats.coverage.report');
    assert.ok(report, 'the report was not made');
    // rendered in the Markdown preview; its source (the document) one click away
    const tab = await eventually('the Markdown preview', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputWebview && input.viewType.includes('markdown.preview') ? input : undefined;
    });
    assert.ok(tab);
    const editor = { document: vscode.workspace.textDocuments.find(d => d.uri.toString() === report.uri)! };
    assert.equal(editor.document?.languageId, 'markdown');
    const first = report.data.subjects[0]!;
    assert.equal(first.problems[0]?.code, 'coverage/uncaptured');
    const uncaptured = report.data.subjects.filter(s => s.problems.some(p => p.code === 'coverage/uncaptured')).map(s => s.subject);
    assert.ok(uncaptured.includes(`dev.domain.returns.parcel.returned.${ID}`), uncaptured.join(', '));
    const firstCaptured = report.data.subjects.findIndex(s => s.streams.length > 0);
    assert.ok(firstCaptured > uncaptured.length - 1, 'a captured subject came before an uncaptured one');
    const table = editor!.document.getText().split('\n').filter(l => l.startsWith('| `'));
    assert.match(table[0]!, /\*\*none\*\*, not stored/);
    const row = table.find(l => l.includes('dev.domain.returns.parcel.returned'));
    // a relative link from a report at the folder's root: the preview (and GitHub) open it at the line
    assert.equal(editor!.document.uri.scheme, 'untitled');
    assert.match(editor!.document.uri.path, /\/stream-coverage(-\d+)?\.md$/);
    const target = /\]\(([^)#]+)#L4\)/.exec(row ?? '')?.[1];
    assert.equal(target && vscode.Uri.joinPath(vscode.Uri.file(editor!.document.uri.path), '..', target).toString(), uri.toString(), row);
  });

  it('reads again for a new report only the file that changed', async () => {
    type Report = { data: { subjects: { subject: string }[] }; scanned: number; files: number };
    const first = await vscode.commands.executeCommand<Report>('cimNats.coverage.report');
    assert.ok(first.files > 1, `the report covers ${first.files} files`);
    assert.equal(first.scanned, 0, 'the report before this one scanned every file already');
    const extra = workspaceUri('coverage-extra.ts');
    try {
      await vscode.workspace.fs.writeFile(extra, new TextEncoder().encode(`export const X = 'dev.domain.sales.order.cancelled.${ID}';\n`));
      const second = await vscode.commands.executeCommand<Report>('cimNats.coverage.report');
      assert.equal(second.scanned, 1, 'only the new file is read');
      assert.equal(second.files, first.files + 1);
      assert.ok(second.data.subjects.some(r => r.subject === `dev.domain.sales.order.cancelled.${ID}`));
    } finally {
      await vscode.workspace.fs.delete(extra);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });

  it('underlines an uncaptured domain event, and its quick fix creates the streams so the warning goes', async () => {
    const d = await eventually('the billing warning', () => ours(uri).find(x => x.code === 'coverage/uncaptured' && x.range.start.line === 4));
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(d.message, /dev\.domain\.billing\.invoice\.paid\.\S+ would not be stored: no stream on coverage captures dev\.domain\.billing\.>; create DOMAIN_BILLING_EVENTS/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range);
    const fix = actions.find(a => a.title === 'Initialize CIM streams for billing');
    assert.ok(fix?.command, actions.map(a => a.title).join(' | '));
    const [, args] = fix.command.arguments as [unknown, Record<string, unknown>];
    assert.deepEqual(args, { domains: ['billing'], environment: 'dev', connection: CONNECTION });
    // the same command and answers, with the modal question answered
    await vscode.commands.executeCommand(fix.command.command, undefined, { ...args, confirmed: true });
    const info = await (await nats.jsm()).streams.info('DOMAIN_BILLING_EVENTS');
    assert.deepEqual(info.config.subjects, ['dev.domain.billing.>']);
    await eventually('the billing warning to go', () => !ours(uri).some(x => x.range.start.line === 4));
    // the returns subject still has no stream
    assert.ok(ours(uri).some(x => x.range.start.line === 3 && x.code === 'coverage/uncaptured'));
  });

  it('generalizes two selected lines to their join', async () => {
    const editor = await vscode.window.showTextDocument(uri);
    editor.selection = new vscode.Selection(0, 0, 2, 0);
    const g = await vscode.commands.executeCommand<{ pattern: string; subjects: string[] }>('cimNats.coverage.generalize');
    assert.deepEqual(g.subjects, [`dev.domain.sales.order.created.${ID}`, `dev.domain.sales.order.shipped.${ID}`]);
    assert.equal(g.pattern, `dev.domain.sales.order.*.${ID}`);
  });
});
