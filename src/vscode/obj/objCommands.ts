// Object-store commands: download (save dialog, progress, cancel, digest checked), open small text or JSON read-only,
// upload files (an existing name asks Replace/Skip), delete, info, seal, create and delete stores. Writes are refused
// on read-only connections; destructive ones ask with the server's numbers of that moment, protected connections
// ask for the name typed. The tree re-reads the store after each change.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes, formatCount } from '../../core/text/format';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { assertWritable } from '../explorer/streamActions';
import type { InfoDocumentProvider } from '../explorer/infoDocuments';
import { registerCommand } from '../platform/commands';
import { COMMANDS } from '../platform/commandIds';
import { natsRuntime } from '../platform/natsRuntime';
import { connectionFor, objectFor, storeFor, type ObjectTarget, type StoreTarget } from './objPick';
import { objectReport, storeReport } from './objReports';
import { confirmDestructive } from '../platform/confirm';

/** Objects up to this size open in an editor; larger ones are downloaded. */
export const OPEN_LIMIT_BYTES = 1024 * 1024;

function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/** Runs `work` under a cancellable notification; a cancel resolves to undefined. */
async function withTransfer<T>(title: string, work: (signal: AbortSignal, report: (done: number, total: number, detail?: string) => void) => Promise<T>): Promise<T | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const ctl = new AbortController();
    const sub = token.onCancellationRequested(() => ctl.abort());
    let shown = 0;
    const report = (done: number, total: number, detail?: string) => {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      progress.report({ increment: pct - shown, message: `${detail ? `${detail}: ` : ''}${formatBytes(done)} of ${formatBytes(total)}` });
      shown = pct;
    };
    try {
      return await work(ctl.signal, report);
    } catch (e) {
      if (isAbort(e)) return undefined;
      throw e;
    } finally {
      sub.dispose();
    }
  });
}

export function registerObjectStoreCommands(context: vscode.ExtensionContext, registry: ConnectionRegistry, info: InfoDocumentProvider): void {
  const runtime = async (target: StoreTarget) => {
    const [rt, session] = await Promise.all([natsRuntime(), registry.session(target.entry.id)]);
    return { rt, session };
  };
  const changed = (target: StoreTarget, reason: string) => registry.didChangeServer({ connectionId: target.entry.id, streams: [`OBJ_${target.store}`], reason });

  // (node, file?): a file given skips the save dialog (tests, scripts)
  registerCommand(context, COMMANDS.objDownload, async (node?: unknown, file?: string) => {
    const target = await objectFor(registry, node, 'Download which object?');
    if (!target) return undefined;
    const { rt, session } = await runtime(target);
    const object = await rt.objectInfo(session, target.store, target.name);
    const to = file ?? (await vscode.window.showSaveDialog({
      title: `Download "${target.name}" from ${target.store}`,
      defaultUri: vscode.Uri.file(path.join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd(), path.basename(target.name))),
    }))?.fsPath;
    if (!to) return undefined;
    const result = await withTransfer(`Downloading "${target.name}" from ${target.store}`, (signal, report) =>
      rt.downloadObject(session, target.store, target.name, to, { signal, onProgress: report }));
    if (!result) {
      void vscode.window.showInformationMessage(`The download of "${target.name}" was cancelled: nothing was saved to ${to}.`);
      return undefined;
    }
    const size = object.link ? result.bytes : object.size;
    void vscode.window.showInformationMessage(`Downloaded "${target.name}" (${formatBytes(size)}) to ${to}; its digest matched.`);
    return to;
  });

  registerCommand(context, COMMANDS.objOpen, async (node?: unknown) => {
    const target = await objectFor(registry, node, 'Open which object?');
    if (!target) return undefined;
    const { rt, session } = await runtime(target);
    const read = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading "${target.name}"` }, () =>
      rt.readObjectText(session, target.store, target.name, OPEN_LIMIT_BYTES));
    if (read.kind !== 'text') {
      const why = read.kind === 'tooLarge'
        ? `"${target.name}" is ${formatBytes(read.object.size)}, more than the ${formatBytes(read.limit)} opened in an editor`
        : `"${target.name}" is binary, not UTF-8 text`;
      const choice = await vscode.window.showInformationMessage(`${why}: download it to a file instead.`, 'Download…');
      if (choice === 'Download…') await vscode.commands.executeCommand(COMMANDS.objDownload, node ?? target);
      return undefined;
    }
    const name = `${target.store}/${target.name}`;
    if (read.json) await info.show(target.entry.config.name, name.replace(/\.json$/i, ''), JSON.parse(read.text) as unknown, 'json');
    else await info.show(target.entry.config.name, name, read.text, 'plaintext');
    return read.text;
  });

  // (node, files?): files given skip the open dialog; an existing name still asks Replace or Skip
  registerCommand(context, COMMANDS.objUpload, async (node?: unknown, files?: string[]) => {
    const target = await storeFor(registry, node, 'Upload into which object store?', s => !s.sealed);
    if (!target) return undefined;
    assertWritable(target.entry, `uploading to ${target.store}`);
    const chosen = files ?? (await vscode.window.showOpenDialog({ title: `Upload files to ${target.store}`, canSelectMany: true, canSelectFiles: true, canSelectFolders: false }))?.map(u => u.fsPath);
    if (!chosen?.length) return undefined;
    const { rt, session } = await runtime(target);
    // every question first, so that the transfer runs unattended
    const plan: string[] = [];
    let skipped = 0;
    for (const file of chosen) {
      const name = path.basename(file);
      const existing = await rt.existingObject(session, target.store, name);
      if (existing) {
        const q = `"${name}" already exists in ${target.store} (${formatBytes(existing.size)}, modified ${existing.modified?.toISOString() ?? 'at an unknown time'}): replace it with ${file}?`;
        const answer = await vscode.window.showWarningMessage(q, { modal: true }, 'Replace', 'Skip');
        if (answer === undefined) return undefined;
        if (answer === 'Skip') {
          skipped++;
          continue;
        }
      }
      plan.push(file);
    }
    if (plan.length === 0) return [];
    const done: string[] = [];
    let bytes = 0;
    try {
      await withTransfer(`Uploading ${plan.length === 1 ? `"${path.basename(plan[0]!)}"` : `${plan.length} files`} to ${target.store}`, async (signal, report) => {
        for (const [i, file] of plan.entries()) {
          const detail = plan.length > 1 ? `${i + 1} of ${plan.length}, ${path.basename(file)}` : undefined;
          const object = await rt.uploadFile(session, target.store, file, { signal, onProgress: (d, t) => report(d, t, detail) });
          done.push(object.name);
          bytes += object.size;
        }
      });
    } finally {
      if (done.length || plan.length) changed(target, 'objects uploaded');
    }
    const skippedText = skipped ? ` (${formatCount(skipped)} skipped)` : '';
    if (done.length < plan.length) {
      void vscode.window.showInformationMessage(`Upload cancelled: ${formatCount(done.length)} of ${formatCount(plan.length)} files were stored in ${target.store}${skippedText}; the one under way left nothing behind.`);
    } else {
      void vscode.window.showInformationMessage(`Uploaded ${done.length === 1 ? `"${done[0]}"` : `${formatCount(done.length)} files`} (${formatBytes(bytes)}) to ${target.store}${skippedText}.`);
    }
    return done;
  });

  registerCommand(context, COMMANDS.objDelete, async (node?: unknown) => {
    const target = await objectFor(registry, node, 'Delete which object?');
    if (!target) return false;
    assertWritable(target.entry, `deleting "${target.name}"`);
    const { rt, session } = await runtime(target);
    const object = await rt.objectInfo(session, target.store, target.name);
    const what = object.link ? `the link "${object.name}"` : `"${object.name}" (${formatBytes(object.size)})`;
    if (!(await confirmDestructive(target.entry, `Delete ${what} from object store ${target.store} on ${target.entry.config.name}? It cannot be brought back.`, 'Delete', object.name))) return false;
    try {
      await rt.deleteObject(session, target.store, target.name);
    } finally {
      changed(target, 'object deleted');
    }
    void vscode.window.showInformationMessage(`Deleted "${object.name}" from ${target.store}.`);
    return true;
  });

  registerCommand(context, COMMANDS.objInfo, async (node?: unknown) => {
    const given = node as { kind?: string } | undefined;
    if (given?.kind === 'objStore') {
      const target = await storeFor(registry, node, 'Info of which object store?');
      if (!target) return undefined;
      const { rt, session } = await runtime(target);
      const name = target.entry.config.name;
      return info.showReport(name, `${target.store} store info`, storeReport(name, await rt.objectStoreNow(session, target.store)));
    }
    const target: ObjectTarget | undefined = await objectFor(registry, node, 'Info of which object?');
    if (!target) return undefined;
    const { rt, session } = await runtime(target);
    const name = target.entry.config.name;
    const object = await rt.objectInfo(session, target.store, target.name);
    return info.showReport(name, `${target.store}/${target.name} info`, objectReport(name, object));
  });

  registerCommand(context, COMMANDS.objSealStore, async (node?: unknown) => {
    const target = await storeFor(registry, node, 'Seal which object store?', s => !s.sealed);
    if (!target) return false;
    assertWritable(target.entry, `sealing ${target.store}`);
    const { rt, session } = await runtime(target);
    const now = await rt.objectStoreNow(session, target.store);
    if (now.sealed) throw new Error(`Object store ${target.store} is already sealed: nothing to do.`);
    const q = `Seal object store ${target.store} on ${target.entry.config.name}? Its ${formatCount(now.objects)}${now.objectsTruncated ? '+' : ''} objects (${formatBytes(now.bytes)}) stay readable, but nothing can ever be added, replaced or deleted again. This cannot be undone.`;
    if (!(await confirmDestructive(target.entry, q, 'Seal', target.store))) return false;
    try {
      await rt.sealObjectStore(session, target.store);
    } finally {
      changed(target, 'store sealed');
    }
    void vscode.window.showInformationMessage(`Sealed object store ${target.store}: it is read-only for good.`);
    return true;
  });

  // (node, { name, storage? }): scripted use skips the questions
  registerCommand(context, COMMANDS.objCreateStore, async (node?: unknown, scripted?: { name: string; storage?: 'file' | 'memory'; description?: string }) => {
    const entry = await connectionFor(registry, node, 'Create an object store on which connection?');
    if (!entry) return undefined;
    assertWritable(entry, 'creating an object store');
    const rt = await natsRuntime();
    let wanted = scripted;
    if (!wanted) {
      const name = await vscode.window.showInputBox({ title: `New object store on ${entry.config.name}`, prompt: 'Name (letters, digits, "-" and "_")', ignoreFocusOut: true, validateInput: v => rt.storeNameProblem(v.trim()) });
      if (!name) return undefined;
      const storage = await vscode.window.showQuickPick([
        { label: 'File', description: 'kept on disk (survives a server restart)', value: 'file' as const },
        { label: 'Memory', description: 'faster, lost when the server restarts', value: 'memory' as const },
      ], { title: `Storage of object store ${name.trim()}`, ignoreFocusOut: true });
      if (!storage) return undefined;
      wanted = { name: name.trim(), storage: storage.value };
    }
    const session = await registry.session(entry.id);
    try {
      await rt.createObjectStore(session, wanted.name, { ...(wanted.storage ? { storage: wanted.storage } : {}), ...(wanted.description ? { description: wanted.description } : {}) });
    } finally {
      registry.didChangeServer({ connectionId: entry.id, streams: [`OBJ_${wanted.name}`], reason: 'store created' });
    }
    void vscode.window.showInformationMessage(`Created object store ${wanted.name} on ${entry.config.name}.`);
    return wanted.name;
  });

  registerCommand(context, COMMANDS.objDeleteStore, async (node?: unknown) => {
    const target = await storeFor(registry, node, 'Delete which object store?');
    if (!target) return false;
    assertWritable(target.entry, `deleting ${target.store}`);
    const { rt, session } = await runtime(target);
    const now = await rt.objectStoreNow(session, target.store);
    const q = `Delete object store ${target.store} on ${target.entry.config.name}, with its ${formatCount(now.objects)}${now.objectsTruncated ? '+' : ''} object${now.objects === 1 ? '' : 's'} (${formatBytes(now.bytes)})? They cannot be brought back.`;
    if (!(await confirmDestructive(target.entry, q, 'Delete', target.store))) return false;
    try {
      await rt.deleteObjectStore(session, target.store);
    } finally {
      changed(target, 'store deleted');
    }
    void vscode.window.showInformationMessage(`Deleted object store ${target.store}.`);
    return true;
  });
}
