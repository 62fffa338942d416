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

  /**
   * Opens (or refreshes) `cimnats-info:/<connection>/<name>.json` with the value as pretty JSON, or, for
   * `markdown` (a plan, a report), `<name>.md` with the text as it is.
   */
  async show(connection: string, name: string, value: unknown, language: 'json' | 'markdown' | 'plaintext' = 'json'): Promise<vscode.TextEditor> {
    const ext = { json: 'json', markdown: 'md', plaintext: 'txt' }[language];
    const uri = this.set(connection, name, ext, language === 'json' ? `${JSON.stringify(value, jsonReplacer, 2)}\n` : String(value));
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== language) await vscode.languages.setTextDocumentLanguage(doc, language);
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  /**
   * A report (a set-up test, a plan, a coverage report) opened rendered in the Markdown preview; its source stays one
   * click away (the preview's "Open Source" button). Returns the source's URI.
   */
  async showReport(connection: string, name: string, markdown: string): Promise<vscode.Uri> {
    const uri = this.set(connection, name, 'md', markdown);
    await vscode.workspace.openTextDocument(uri);
    await vscode.commands.executeCommand('markdown.showPreview', uri);
    return uri;
  }

  private set(connection: string, name: string, ext: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: INFO_SCHEME, path: `/${encodeURIComponent(connection)}/${encodeURIComponent(name)}.${ext}` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
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
