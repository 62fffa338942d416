// Back Up Stream… / Restore Stream…: a stream kept whole (sequences, times, consumers) in natscli's backup folder
// layout, and brought back from one; progress with Cancel, the tree shows a restored stream at once.
import * as vscode from 'vscode';
import { formatBytes, formatCount } from '../../core/text/format';
import type { BackupResult, RestoreResult } from '../../nats/backup';
import { resolveEntry } from '../connections/connectionCommands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { COMMANDS } from '../platform/commandIds';
import { registerCommand } from '../platform/commands';
import { natsRuntime } from '../platform/natsRuntime';
import { nodeOrPick } from './palettePick';
import { assertWritable } from './streamActions';

/** Scripted use (and tests): the folder instead of the dialog. */
export interface BackupArgs { dir: string; consumers?: boolean; check?: boolean }
export interface RestoreArgs { connection?: string; dir: string }

export function registerBackupCommands(context: vscode.ExtensionContext, registry: ConnectionRegistry): void {
  registerCommand(context, COMMANDS.streamBackup, async (node?: unknown, scripted?: BackupArgs): Promise<BackupResult | undefined> => {
    const n = await nodeOrPick(registry, node, 'stream', { title: 'Back up which stream?', streams: s => !s.unavailable });
    if (!n) return undefined;
    const entry = registry.entry(n.entryId);
    if (!entry) throw new Error('That connection no longer exists: refresh the explorer.');
    const stream = n.stream.name;
    const dir = scripted?.dir ?? (await pickFolder(`Back up ${stream} into a new folder (it must hold no backup)`, 'Back Up Here', stream));
    if (!dir) return undefined;
    const rt = await natsRuntime();
    const session = await registry.session(entry.id);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Backing up ${stream}`, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      let shown = 0;
      try {
        return await rt.backupStream(session, {
          stream, dir, signal: abort.signal, consumers: scripted?.consumers ?? true, check: scripted?.check ?? false,
          onProgress: p => {
            // compressed bytes against the stream's size: the bar moves, the message says what is true
            const pct = p.streamBytes ? Math.min(99, (p.bytes / p.streamBytes) * 100) : 0;
            progress.report({ increment: Math.max(0, pct - shown), message: `${formatBytes(p.bytes)} received (the stream holds ${formatBytes(p.streamBytes)})` });
            shown = Math.max(shown, pct);
          },
        });
      } finally {
        sub.dispose();
      }
    });
    const { state } = result;
    const range = state.messages ? ` (seq ${state.first_seq}–${state.last_seq})` : '';
    void vscode.window.showInformationMessage(`Backed up ${formatCount(state.messages)} messages${range} of ${stream}${result.consumers ? ` and its ${formatCount(state.consumer_count)} consumers` : ''} to ${dir} (${result.file}, ${formatBytes(result.bytes)}).`);
    return result;
  });

  registerCommand(context, COMMANDS.streamRestore, async (node?: unknown, scripted?: RestoreArgs): Promise<RestoreResult | undefined> => {
    // a connection item, a connection's id or name, or a pick
    const entry = await resolveEntry(registry, scripted?.connection ?? node, 'Restore into which connection?');
    if (!entry) return undefined;
    assertWritable(entry, 'restoring a stream');
    const dir = scripted?.dir ?? (await pickFolder('Restore the stream of which backup folder? (it holds backup.json)', 'Restore'));
    if (!dir) return undefined;
    const rt = await natsRuntime();
    const session = await registry.session(entry.id);
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Restoring from ${dir}`, cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let shown = 0;
        try {
          return await rt.restoreStream(session, {
            dir, signal: abort.signal,
            onProgress: p => {
              const pct = p.totalBytes ? (p.bytes / p.totalBytes) * 100 : 0;
              progress.report({
                increment: Math.max(0, pct - shown),
                message: p.phase === 'sending' ? `${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)} sent` : 'the server is building the stream (it cannot be stopped now)',
              });
              shown = Math.max(shown, pct);
            },
          });
        } finally {
          sub.dispose();
        }
      });
      // a new stream: the connection's list is read again, not just one row's figures
      registry.didChangeServer({ connectionId: entry.id, reason: 'restore' });
      const { state } = result;
      const range = state.messages ? ` (seq ${state.first_seq}–${state.last_seq})` : '';
      const consumers = result.consumers.length ? ` and ${result.consumers.length === 1 ? 'its consumer' : `its ${result.consumers.length} consumers`} ${result.consumers.join(', ')}` : '';
      void vscode.window.showInformationMessage(`Restored ${result.stream} on ${entry.config.name}: ${formatCount(state.messages)} messages${range}${consumers}.`);
      return result;
    } catch (e) {
      // the server creates nothing from a restore it did not finish, but a failure at the end may leave a stream
      registry.didChangeServer({ connectionId: entry.id, reason: 'restore' });
      throw e;
    }
  });
}

async function pickFolder(title: string, openLabel: string, newName?: string): Promise<string | undefined> {
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showOpenDialog({ title, openLabel, canSelectFiles: false, canSelectFolders: true, canSelectMany: false, ...(base ? { defaultUri: base } : {}) });
  const folder = picked?.[0]?.fsPath;
  if (!folder || !newName) return folder;
  // a backup goes into a new sub-folder named after the stream unless the picked folder is empty
  const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.file(folder));
  if (entries.length === 0) return folder;
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return vscode.Uri.joinPath(vscode.Uri.file(folder), `${newName}-${stamp}`).fsPath;
}
