// Problems of a configuration file (algebra, domain definition): diagnostics on its lines and one warning per message.
import * as vscode from 'vscode';
import { log } from './platform/log';

export interface FileProblem {
  message: string;
  /** 0-based line; the first line when unknown. */
  line?: number;
  severity?: 'error' | 'warning';
}

export class FileProblemReporter implements vscode.Disposable {
  private readonly collection: vscode.DiagnosticCollection;
  private readonly warned = new Set<string>();

  constructor(name: string, private readonly code: string) {
    this.collection = vscode.languages.createDiagnosticCollection(name);
  }

  /** Marks the lines, logs, and shows `summary` once (with an "Open File" action). */
  report(uri: vscode.Uri, problems: FileProblem[], summary: string): void {
    this.collection.set(uri, problems.map(p => {
      const line = p.line ?? 0;
      const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), p.message, p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error);
      d.source = 'cim-nats';
      d.code = this.code;
      return d;
    }));
    log().warn(summary);
    if (this.warned.has(summary)) return;
    this.warned.add(summary);
    void vscode.window.showWarningMessage(summary, 'Open File').then(c => {
      if (c === 'Open File') void vscode.window.showTextDocument(uri);
    });
  }

  clear(): void {
    this.collection.clear();
  }

  dispose(): void {
    this.collection.dispose();
  }
}
