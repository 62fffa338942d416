// Problems of subjects as diagnostics: debounced per document, recomputed only for documents that changed.
import * as vscode from 'vscode';
import type { Problem } from '../../core';
import { settingsFor } from '../settings';
import type { SubjectModel } from './subjectModel';

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information } as const;

export function toDiagnostic(doc: vscode.TextDocument, p: Problem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(new vscode.Range(doc.positionAt(p.start), doc.positionAt(p.end)), p.message, SEVERITY[p.severity]);
  d.source = 'cim-nats';
  d.code = p.code;
  return d;
}

export class SubjectDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('cimNats.subjects');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(private readonly model: SubjectModel) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument(d => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument(e => e.contentChanges.length && this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument(d => {
        this.collection.delete(d.uri);
        this.model.forget(d);
      }),
      vscode.workspace.onDidChangeConfiguration(e => e.affectsConfiguration('cimNats') && this.refreshAll()),
    );
    this.refreshAll();
  }

  /** Every open document again: after the algebra or the settings changed. */
  refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private schedule(doc: vscode.TextDocument, delay = settingsFor(doc)['diagnostics.debounceMs']): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    if (!this.model.covers(doc)) {
      this.collection.delete(doc.uri);
      return;
    }
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.update(doc);
    }, delay));
  }

  async update(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed) return;
    const version = doc.version;
    const generation = this.model.generation;
    const findings = await this.model.findings(doc);
    // a newer text, algebra or setting has scheduled its own update: this result must not overwrite it
    if (doc.isClosed || doc.version !== version || this.model.generation !== generation) return;
    this.collection.set(doc.uri, findings.flatMap(f => f.problems.map(p => toDiagnostic(doc, p))));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
