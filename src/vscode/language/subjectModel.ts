// Subjects and their problems per document version, computed once and shared by diagnostics, hover and fixes.
import * as vscode from 'vscode';
import { fileKindOf, type FileKind, type SubjectFinding } from '../../core';
import type { AlgebraService } from '../algebraService';
import { settingsFor } from '../platform/configuration';
import { LintRunner } from './lintRunner';
import { onSettingsChange } from '../platform/configuration';

interface Entry {
  version: number;
  findings: SubjectFinding[];
}

export function fileKindOfDocument(doc: vscode.TextDocument): FileKind {
  if (doc.languageId === 'nats') return 'nats';
  if (doc.languageId === 'yaml') return 'yaml';
  return fileKindOf(doc.uri.path);
}

export class SubjectModel {
  private readonly cache = new Map<string, Entry>();
  private readonly runner = new LintRunner();
  constructor(private readonly algebra: AlgebraService) {
    this.listeners = [
      algebra.onDidChange(() => this.invalidate()),
      // results depend on settings (style warnings, {{env}}) as well as on the text
      onSettingsChange([''], () => this.invalidate()),
    ];
  }
  private readonly listeners: vscode.Disposable[];
  /** Bumped on every invalidation: a result computed under an older algebra or settings is not used. */
  private gen = 0;

  get generation(): number {
    return this.gen;
  }

  private invalidate(): void {
    this.gen++;
    this.cache.clear();
  }

  /** Whether subjects in this document are checked at all (a .nats file, or a language named in the setting). */
  covers(doc: vscode.TextDocument): boolean {
    if (doc.languageId === 'nats') return true;
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled' && doc.uri.scheme !== 'vscode-remote') return false;
    return settingsFor(doc)['subjects.languages'].includes(doc.languageId);
  }

  async findings(doc: vscode.TextDocument): Promise<SubjectFinding[]> {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.findings;
    const generation = this.gen;
    const { algebra } = await this.algebra.algebraFor(doc.uri);
    const settings = settingsFor(doc);
    const findings = await this.runner.lint(algebra, doc.getText(), fileKindOfDocument(doc), {
      style: settings['diagnostics.style'],
      environment: settings['playbook.defaultEnvironment'],
    });
    if (generation === this.gen) this.cache.set(key, { version: doc.version, findings });
    return findings;
  }

  forget(doc: vscode.TextDocument): void {
    this.cache.delete(doc.uri.toString());
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
    this.runner.dispose();
  }
}
