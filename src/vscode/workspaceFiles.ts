// One watcher over the workspace for every service that reads configuration files (algebra, domain definitions).
import * as vscode from 'vscode';

export class WorkspaceFiles implements vscode.Disposable {
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/*');
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  /** A file or folder was created, changed or deleted on disk, or saved in an editor. */
  readonly onDidTouch = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    const fire = (uri: vscode.Uri) => this.emitter.fire(uri);
    this.subscriptions = [
      this.watcher.onDidCreate(fire),
      this.watcher.onDidChange(fire),
      this.watcher.onDidDelete(fire),
      vscode.workspace.onDidSaveTextDocument(d => fire(d.uri)),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.watcher.dispose();
    this.emitter.dispose();
  }
}
