// Domain definitions in the workspace (domains/*/domain-definition.yaml): names for completion, events for hover.
import * as vscode from 'vscode';
import { namesFromDefinitions, parseDomainDefinition, type DomainDefinition, type NameEntry } from '../core';
import { FileProblemReporter, type FileProblem } from './fileProblems';
import { log } from './platform/log';
import type { NameSource } from './nameRegistry';
import type { WorkspaceFiles } from './workspaceFiles';
import { settingsFor } from './platform/configuration';
import { onSettingsChange } from './platform/configuration';

export class DomainService implements vscode.Disposable, NameSource {
  private definitions: DomainDefinition[] = [];
  /** The definition files read last, for the watcher: a deleted folder reports only itself. */
  private fileUris: string[] = [];
  private loaded: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly problems = new FileProblemReporter('cimNats.domains', 'domain/definition');
  private readonly disposables: vscode.Disposable[] = [this.changed, this.problems];

  constructor(files: WorkspaceFiles) {
    this.disposables.push(
      files.onDidTouch(uri => {
        if (this.concerns(uri)) this.invalidate();
      }),
      onSettingsChange(['domains'], () => this.invalidate()),
    );
  }

  /** A definition file, a folder holding one, or a folder where the glob may find new ones (watchers may report only the folder). */
  private concerns(uri: vscode.Uri): boolean {
    if (/domain-definition\.ya?ml$/.test(uri.path)) return true;
    const touched = uri.toString();
    if (this.fileUris.some(f => f.startsWith(touched))) return true;
    const base = settingsFor(uri)['domains.glob'].split(/[*{?[]/)[0]!.replace(/\/$/, '');
    const rel = vscode.workspace.asRelativePath(uri, false);
    return base !== '' && (rel === base || rel.startsWith(base + '/'));
  }

  ready(): Promise<unknown> {
    return this.all();
  }

  async all(): Promise<readonly DomainDefinition[]> {
    this.loaded ??= this.load();
    await this.loaded;
    return this.definitions;
  }

  names(): readonly NameEntry[] {
    return namesFromDefinitions(this.definitions);
  }

  private invalidate(): void {
    this.loaded = this.load().then(() => this.changed.fire());
  }

  private async load(): Promise<void> {
    const glob = settingsFor()['domains.glob'];
    const files = await vscode.workspace.findFiles(glob, '**/node_modules/**', 500);
    const defs: DomainDefinition[] = [];
    this.problems.clear();
    for (const uri of files) {
      const rel = vscode.workspace.asRelativePath(uri);
      let text: string;
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch (e) {
        log().warn(`Cannot read ${rel}: ${String(e)}`);
        continue;
      }
      const result = parseDomainDefinition(text);
      if (result.definition) defs.push(result.definition);
      if (result.problems.length) this.report(uri, rel, result.problems);
    }
    this.definitions = defs;
    this.fileUris = files.map(f => f.toString());
  }

  private report(uri: vscode.Uri, rel: string, problems: FileProblem[]): void {
    const summary = `${rel}: ${problems[0]!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`;
    this.problems.report(uri, problems, summary);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
