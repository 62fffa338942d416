// Problems of subjects as diagnostics: debounced per document, recomputed only for documents that changed.
import * as vscode from 'vscode';
import type { Problem } from '../../core';
import { KeyedDebounce, Pending } from '../../core/pending';
import { log } from '../platform/log';
import { settingsFor } from '../platform/configuration';
import type { SubjectModel } from './subjectModel';
import { onSettingsChange } from '../platform/configuration';

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information } as const;

export function toDiagnostic(doc: vscode.TextDocument, p: Problem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(new vscode.Range(doc.positionAt(p.start), doc.positionAt(p.end)), p.message, SEVERITY[p.severity]);
  d.source = 'cim-nats';
  d.code = p.code;
  return d;
}

export class SubjectDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('cimNats.subjects');
  private readonly work = new Pending();
  private readonly debounce = new KeyedDebounce(this.work);
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(private readonly model: SubjectModel) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument(d => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument(e => e.contentChanges.length && this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument(d => {
        this.debounce.cancel(d.uri.toString());
        this.collection.delete(d.uri);
        this.model.forget(d);
      }),
      onSettingsChange([''], () => this.refreshAll()),
    );
    this.refreshAll();
  }

  /** Every open document again: after the algebra or the settings changed. */
  refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** Resolves once no update is scheduled or running: what tests wait for before saying "nothing is underlined". */
  idle(): Promise<void> {
    return this.work.idle();
  }

  get busy(): boolean {
    return this.work.busy;
  }

  private schedule(doc: vscode.TextDocument, delay = settingsFor(doc)['diagnostics.debounceMs']): void {
    const key = doc.uri.toString();
    this.debounce.cancel(key);
    if (!this.model.covers(doc)) {
      this.collection.delete(doc.uri);
      return;
    }
    this.debounce.schedule(key, delay, () => this.update(doc)
      .catch(e => log().error(`subject diagnostics of ${doc.uri.toString(true)} failed:`, e instanceof Error ? (e.stack ?? e.message) : e)));
  }

  async update(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed) return;
    this.work.start();
    try {
      const version = doc.version;
      const generation = this.model.generation;
      const findings = await this.model.findings(doc);
      // a newer text, algebra or setting has scheduled its own update: this result must not overwrite it
      if (doc.isClosed || doc.version !== version || this.model.generation !== generation) return;
      this.collection.set(doc.uri, findings.flatMap(f => f.problems.map(p => toDiagnostic(doc, p))));
    } finally {
      this.work.end();
    }
  }

  dispose(): void {
    this.debounce.cancelAll();
    for (const d of this.disposables) d.dispose();
  }
}
