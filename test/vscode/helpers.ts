// Shared by the in-host suites: waiting on what VS Code shows (the one eventually() helper, or the extension's idle
// signal for a negative check), and `|` cursor markers in fixture text.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cursor } from '../support/cursor';
import { eventually } from '../support/eventually';

export { eventually };

/** What activate() hands the in-host tests, as far as these helpers read it. */
interface TestApi {
  diagnosticsIdle(): Promise<void>;
}

/**
 * Resolves once no subject or coverage diagnostics update is scheduled or running: a check that nothing is underlined
 * waits for this, not for a number of milliseconds.
 */
export async function diagnosticsIdle(): Promise<void> {
  const ext = vscode.extensions.getExtension<TestApi>('cowboy-ai.cim-nats');
  assert.ok(ext, 'cowboy-ai.cim-nats is not installed in this VS Code');
  await (await ext.activate()).diagnosticsIdle();
}

export function workspaceUri(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is not open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter(d => d.source === 'cim-nats');
}

/** Diagnostics of a document once they satisfy `ok` (they arrive after a debounce). */
export function diagnosticsWhen(uri: vscode.Uri, ok: (ds: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return eventually(what, () => {
    const ds = ours(uri);
    return ok(ds) ? ds : undefined;
  });
}

/** Opens an untitled document whose text marks the cursor with `|`; returns it with the cursor position. */
export async function withCursor(language: string, marked: string): Promise<{ doc: vscode.TextDocument; pos: vscode.Position }> {
  const { text, offset } = cursor(marked);
  const doc = await vscode.workspace.openTextDocument({ language, content: text });
  return { doc, pos: doc.positionAt(offset) };
}

export async function completionLabels(doc: vscode.TextDocument, pos: vscode.Position, trigger?: string): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos, trigger);
  return list.items.map(i => (typeof i.label === 'string' ? i.label : i.label.label));
}

export async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
  return hovers.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

export function rangeText(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}
