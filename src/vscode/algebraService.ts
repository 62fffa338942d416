// The algebra in force for each workspace folder: the checked-in file when present and valid, else the preset.
import * as vscode from 'vscode';
import { isPresetId, loadAlgebraText, preset, type AlgebraLoadError, type CompiledAlgebra } from '../core';
import { log } from './log';
import { settingsFor } from './settings';

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
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('cimNats.algebra');
  private readonly disposables: vscode.Disposable[] = [this.changed, this.diagnostics];
  private readonly warned = new Set<string>();
  /** The algebra files in use, for the watcher. */
  private fileUris: string[] = [];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    const onFile = (uri: vscode.Uri) => {
      // a deleted folder reports only itself, so a change at or above the file counts
      const changed = uri.toString();
      if (this.fileUris.some(f => f.startsWith(changed)) || this.isAlgebraFile(uri)) void this.reload();
    };
    this.disposables.push(
      watcher,
      watcher.onDidChange(onFile),
      watcher.onDidCreate(onFile),
      watcher.onDidDelete(onFile),
      vscode.workspace.onDidSaveTextDocument(d => onFile(d.uri)),
      vscode.workspace.onDidChangeConfiguration(e => {
        if (e.affectsConfiguration('cimNats.algebra')) void this.reload();
      }),
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

  /** The algebra already loaded for a document, or the preset: for hot paths that cannot wait. */
  async reload(): Promise<void> {
    this.byFolder.clear();
    this.fileUris = [];
    this.diagnostics.clear();
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
    this.diagnostics.set(
      fileUri,
      errors.map(e => {
        const line = e.line ?? 0;
        const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), `${e.path ? e.path + ': ' : ''}${e.message}`, vscode.DiagnosticSeverity.Error);
        d.source = 'cim-nats';
        d.code = 'algebra/invalid-file';
        return d;
      }),
    );
    const first = errors[0];
    const message = `${rel} is not a valid algebra (${first?.path ? first.path + ': ' : ''}${first?.message ?? 'unknown error'}); using the built-in ${presetId} algebra until it is fixed.`;
    log().warn(message, errors.slice(1).map(e => `${e.path}: ${e.message}`).join('; '));
    if (this.warned.has(message)) return;
    this.warned.add(message);
    void vscode.window.showWarningMessage(message, 'Open File').then(c => {
      if (c === 'Open File') void vscode.window.showTextDocument(fileUri);
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
