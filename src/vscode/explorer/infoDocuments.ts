// Stream and consumer info as read-only JSON documents (a content provider: nothing to save, nothing to edit).
import * as vscode from 'vscode';

export const INFO_SCHEME = 'cimnats-info';

export class InfoDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '// This info is no longer loaded: open it again from the explorer.\n';
  }

  /** Opens (or refreshes) `cimnats-info:/<connection>/<name>.json` with the value as pretty JSON. */
  async show(connection: string, name: string, value: unknown): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: INFO_SCHEME, path: `/${encodeURIComponent(connection)}/${encodeURIComponent(name)}.json` });
    this.texts.set(uri.toString(), `${JSON.stringify(value, jsonReplacer, 2)}\n`);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(doc, 'json');
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Dates as ISO strings, bigints as numbers (JetStream sequences fit). */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  return value;
}
