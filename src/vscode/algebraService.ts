// The algebra in force for each workspace folder: the checked-in file when present and valid, else the preset.
import * as vscode from 'vscode';
import { isPresetId, loadAlgebraText, preset, type AlgebraLoadError, type CompiledAlgebra } from '../core';
import { FileProblemReporter } from './fileProblems';
import { log } from './platform/log';
import type { WorkspaceFiles } from './workspaceFiles';
import { settingsFor } from './platform/configuration';
import { onSettingsChange } from './platform/configuration';

export interface ActiveAlgebra {
  algebra: CompiledAlgebra;
  /** Where it came from: `preset cim-start` or the file's workspace-relative path. */
  source: string;
  fileUri?: vscode.Uri;
  errors: AlgebraLoadError[];
}

/** A document's workspace folder; untitled and outside documents follow the first folder. */
function folderOf(uri: vscode.Uri | undefined): vscode.WorkspaceFolder | undefined {
  return (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
}

export class AlgebraService implements vscode.Disposable {
  // promises, set before any await: a reload that clears the map can never be overwritten by an older load
  private readonly byFolder = new Map<string, Promise<ActiveAlgebra>>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly problems = new FileProblemReporter('cimNats.algebra', 'algebra/invalid-file');
  private readonly disposables: vscode.Disposable[] = [this.changed, this.problems];
  /** The algebra files in use, for the watcher. */
  private fileUris: string[] = [];

  constructor(files: WorkspaceFiles) {
    const onFile = (uri: vscode.Uri) => {
      // a deleted folder reports only itself, so a change at or above the file counts
      const changed = uri.toString();
      if (this.fileUris.some(f => f.startsWith(changed)) || this.isAlgebraFile(uri)) void this.reload();
    };
    this.disposables.push(
      files.onDidTouch(onFile),
      onSettingsChange(['algebra'], () => void this.reload()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload()),
    );
  }

  /** The algebra for a document (its workspace folder's), loading it on first use. */
  async algebraFor(uri?: vscode.Uri): Promise<ActiveAlgebra> {
    const folder = folderOf(uri);
    const key = folder?.uri.toString() ?? '';
    let active = this.byFolder.get(key);
    if (!active) this.byFolder.set(key, (active = this.load(folder)));
    return active;
  }

  /** Reads every folder's algebra again and tells the listeners (the tree, the diagnostics). */
  async reload(): Promise<void> {
    this.byFolder.clear();
    this.fileUris = [];
    this.problems.clear();
    await this.algebraFor();
    for (const f of vscode.workspace.workspaceFolders ?? []) await this.algebraFor(f.uri);
    this.changed.fire();
  }

  private isAlgebraFile(uri: vscode.Uri): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return false;
    return vscode.Uri.joinPath(folder.uri, settingsFor(folder)['algebra.file']).toString() === uri.toString();
  }

  private async load(folder: vscode.WorkspaceFolder | undefined): Promise<ActiveAlgebra> {
    const settings = settingsFor(folder);
    const presetId = isPresetId(settings['algebra.preset']) ? settings['algebra.preset'] : 'cim-start';
    const fallback: ActiveAlgebra = { algebra: preset(presetId), source: `preset ${presetId}`, errors: [] };
    if (!folder) return fallback;
    const fileUri = vscode.Uri.joinPath(folder.uri, settings['algebra.file']);
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(fileUri));
    } catch {
      return fallback;
    }
    const result = loadAlgebraText(text, fallback.algebra);
    const rel = vscode.workspace.asRelativePath(fileUri);
    this.fileUris.push(fileUri.toString());
    if (!result.usedFallback) {
      log().info(`Using the algebra "${result.algebra.spec.name}" from ${rel}.`);
      return { algebra: result.algebra, source: rel, fileUri, errors: [] };
    }
    this.report(fileUri, rel, result.errors, presetId);
    return { ...fallback, fileUri, errors: result.errors };
  }

  private report(fileUri: vscode.Uri, rel: string, errors: AlgebraLoadError[], presetId: string): void {
    const first = errors[0];
    const summary = `${rel} is not a valid algebra (${first?.path ? first.path + ': ' : ''}${first?.message ?? 'unknown error'}); using the built-in ${presetId} algebra until it is fixed.`;
    this.problems.report(fileUri, errors.map(e => ({ line: e.line, message: `${e.path ? e.path + ': ' : ''}${e.message}` })), summary);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
