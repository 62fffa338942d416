// The coverage subjects of open documents, scanned once per version and algebra, shared by hover and diagnostics.
import * as vscode from 'vscode';
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import type { AlgebraService } from '../algebraService';
import { fileKindOfDocument } from '../language/subjectModel';
import { settingsFor } from '../platform/configuration';
import { documentSubjects, type DocumentSubject } from '../../core/coverage/documentSubjects';

interface Entry {
  version: number;
  algebra: CompiledAlgebra;
  environment: string;
  subjects: DocumentSubject[];
}

export class CoverageDocuments implements vscode.Disposable {
  private readonly cache = new Map<string, Entry>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly algebra: AlgebraService) {
    this.disposables = [vscode.workspace.onDidCloseTextDocument(d => this.cache.delete(d.uri.toString()))];
  }

  /** As the subject checks decide it: a .nats file, or a language of `cimNats.subjects.languages` on disk or untitled. */
  covers(doc: vscode.TextDocument): boolean {
    if (doc.languageId === 'nats') return true;
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled' && doc.uri.scheme !== 'vscode-remote') return false;
    return settingsFor(doc)['subjects.languages'].includes(doc.languageId);
  }

  async subjects(doc: vscode.TextDocument): Promise<DocumentSubject[]> {
    const { algebra } = await this.algebra.algebraFor(doc.uri);
    const environment = settingsFor(doc)['playbook.defaultEnvironment'];
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version && hit.algebra === algebra && hit.environment === environment) return hit.subjects;
    const subjects = documentSubjects(algebra, doc.getText(), fileKindOfDocument(doc), environment);
    this.cache.set(key, { version: doc.version, algebra, environment, subjects });
    return subjects;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
