// Shared by the in-host suites: waiting on what VS Code shows, and `|` cursor markers in fixture text.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cursor } from '../support/cursor';

export async function waitFor<T>(what: string, get: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  for (const end = Date.now() + ms; ; ) {
    const v = await get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) assert.fail(`gave up waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
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
  return waitFor(what, () => {
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
