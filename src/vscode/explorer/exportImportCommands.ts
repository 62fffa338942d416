// Export Messages… / Import Messages…: a stream to a .jsonl file (its config beside it as <name>.stream.json) and
// back, with progress and Cancel; the import's summary names stored, duplicates, failures and the purge trap.
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import { parseSince } from '../../core/message/since';
import { formatCount } from '../../core/text/format';
import type { ImportResult } from '../../nats/read/import';
import { registerCommand } from '../platform/commands';
import { resolveEntry } from '../connections/connectionCommands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { natsRuntime } from '../platform/natsRuntime';
import type { ExplorerTreeProvider } from './explorerTree';
import type { ExplorerNode } from './nodes';
import { nodeOrPick } from './palettePick';
import { streamNow } from './serverNow';
import { assertWritable } from './streamActions';
import { COMMANDS } from '../platform/commandIds';

export const EXPORT_IMPORT = { export: COMMANDS.streamExport, import: COMMANDS.streamImport } as const;

/** Scripted use (and tests). */
export interface ExportArgs { file: string; filter?: string; from?: { seq: number } | { since: string } }
export interface ImportArgs { connection?: string; file: string; stream?: string; newIds?: boolean; create?: boolean; skipBroken?: boolean }

const configFileOf = (jsonl: string) => jsonl.replace(/\.jsonl$/i, '') + '.stream.json';

export function registerExportImport(context: vscode.ExtensionContext, registry: ConnectionRegistry, _tree: ExplorerTreeProvider): void {
  registerCommand(context, EXPORT_IMPORT.export, async (node?: unknown, scripted?: ExportArgs) => {
    const n = await nodeOrPick(registry, node, 'stream', { title: 'Export the messages of which stream?', streams: s => !s.unavailable });
    if (!n) return undefined;
    const entry = registry.entry(n.entryId);
    if (!entry) throw new Error('That connection no longer exists: refresh the explorer.');
    const rt = await natsRuntime();
    let file = scripted?.file;
    let filter = scripted?.filter;
    let from: { seq: number } | { since: Date } | undefined;
    /** What "All N" offered ends at: a message stored while the user picks a file is not written. */
    let toSeq: number | undefined;
    if (scripted?.from) from = 'since' in scripted.from ? toSince(scripted.from.since) : scripted.from;
    if (!file) {
      const now = await streamNow(registry, entry, n.stream.name);
      const pick = await vscode.window.showQuickPick([
        { label: `All ${formatCount(now.messages)} messages`, ...(now.messages ? { description: `seq ${now.firstSeq}–${now.lastSeq}` } : {}), id: 'all' },
        { label: 'Messages matching a subject filter…', id: 'filter' },
        { label: 'From a sequence…', id: 'seq' },
        { label: 'Since a time…', id: 'since' },
      ], { title: `Export ${n.stream.name}`, ignoreFocusOut: true });
      if (!pick) return undefined;
      if (pick.id === 'all') toSeq = now.lastSeq;
      else if (pick.id === 'filter') {
        filter = (await vscode.window.showInputBox({ title: 'Subject filter', prompt: `Within ${now.subjects.join(', ')}`, ignoreFocusOut: true, validateInput: v => rt.purgeFilterProblem(v.trim(), now.subjects) }))?.trim();
        if (!filter) return undefined;
      } else if (pick.id === 'seq') {
        const v = await vscode.window.showInputBox({ title: 'From which sequence?', ignoreFocusOut: true, validateInput: t => (/^\d+$/.test(t.trim()) ? undefined : 'Enter a whole number.') });
        if (!v) return undefined;
        from = { seq: Number(v) };
      } else if (pick.id === 'since') {
        const v = await vscode.window.showInputBox({ title: 'Since when?', prompt: '10m, 2h, 1d or an ISO time', ignoreFocusOut: true, validateInput: t => { const r = parseSince(t); return r.ok ? undefined : r.problem; } });
        if (!v) return undefined;
        from = toSince(v);
      }
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({ title: `Export ${n.stream.name} to`, filters: { 'JSON lines': ['jsonl'] }, ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${n.stream.name}.jsonl`) } : {}) });
      if (!target) return undefined;
      file = target.fsPath;
    }
    const session = await registry.session(entry.id);
    const out = fs.createWriteStream(file, { encoding: 'utf8' });
    const write = (line: string) => (out.write(`${line}\n`) ? undefined : new Promise<void>(r => out.once('drain', () => r())));
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting ${n.stream.name}`, cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let last = 0;
        try {
          return await rt.exportMessages(session, {
            stream: n.stream.name, ...(filter ? { filter } : {}), ...(from ? { from } : {}), ...(toSeq !== undefined ? { toSeq } : {}), signal: abort.signal, write,
            onProgress: (count, total) => {
              if (total && count - last >= total / 100) {
                progress.report({ increment: ((count - last) / total) * 100, message: `${count} of ${total}` });
                last = count;
              }
            },
          });
        } finally {
          sub.dispose();
        }
      });
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
      fs.writeFileSync(configFileOf(file), await rt.streamConfigDocument(session, n.stream.name));
      void vscode.window.showInformationMessage(`Exported ${result.exported} messages of ${n.stream.name} (seq ${result.firstSeq}–${result.lastSeq}) to ${file}, its config to ${configFileOf(file)}.`);
      return result;
    } catch (e) {
      out.destroy();
      throw e;
    }
  });

  registerCommand(context, EXPORT_IMPORT.import, async (node?: unknown, scripted?: ImportArgs) => {
    const n = node as ExplorerNode | undefined;
    const entry = await resolveEntry(registry, scripted?.connection ?? (n && typeof n === 'object' && 'kind' in n ? n : undefined), 'Import into which connection?');
    if (!entry) return undefined;
    assertWritable(entry, 'importing messages');
    const file = scripted?.file ?? (await vscode.window.showOpenDialog({ title: 'Import messages from', filters: { 'JSON lines': ['jsonl'] }, canSelectMany: false }))?.[0]?.fsPath;
    if (!file) return undefined;
    const rt = await natsRuntime();
    const session = await registry.session(entry.id);
    const stream = scripted?.stream ?? (n?.kind === 'stream' ? n.stream.name : undefined);
    const configText = fs.existsSync(configFileOf(file)) ? fs.readFileSync(configFileOf(file), 'utf8') : undefined;
    const run = (create: boolean, newIds: boolean, skipBroken: boolean) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Importing ${file}`, cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
        try {
          return await rt.importMessages(session, {
            lines, ...(stream ? { stream } : {}), ...(create && configText ? { config: configText } : {}), newIds, signal: abort.signal,
            onBrokenLine: skipBroken ? 'skip' : 'stop',
            hints: { newIds: 'Import Under New Ids', skipBroken: 'Skip Broken Lines' },
            onProgress: p => progress.report({ message: `${p.lines} lines: ${p.stored} stored, ${p.duplicates} duplicates, ${p.failed} failed` }),
          });
        } finally {
          sub.dispose();
          lines.close();
        }
      });
    let create = scripted?.create ?? false;
    let newIds = scripted?.newIds ?? false;
    let skipBroken = scripted?.skipBroken ?? false;
    for (;;) {
      let result: ImportResult;
      try {
        result = await run(create, newIds, skipBroken);
      } catch (e) {
        if (e instanceof rt.StreamMissingError && configText && !create && !scripted) {
          const ok = await vscode.window.showWarningMessage(`${e.message} Create ${e.stream} from ${configFileOf(file)}?`, { modal: true }, 'Create and Import');
          if (ok !== 'Create and Import') return undefined;
          create = true;
          continue;
        }
        // a failed or cancelled import may have stored some messages, or created the stream
        registry.didChangeServer({ connectionId: entry.id, ...(stream ? { streams: [stream] } : {}), reason: 'import' });
        throw e;
      }
      registry.didChangeServer({ connectionId: entry.id, streams: [result.stream], reason: 'import' });
      const text = result.summary.join(' ');
      if (result.ok) {
        void vscode.window.showInformationMessage(text);
        return result;
      }
      if (scripted) {
        void vscode.window.showWarningMessage(text);
        return result;
      }
      const actions = [...(result.notStored ? ['Import Under New Ids'] : []), ...(result.stopped?.reason === 'broken' ? ['Skip Broken Lines'] : [])];
      const choice = await vscode.window.showWarningMessage(text, ...actions);
      if (choice === 'Import Under New Ids') newIds = true;
      else if (choice === 'Skip Broken Lines') skipBroken = true;
      else return result;
    }
  });
}

function toSince(text: string): { since: Date } {
  const r = parseSince(text);
  if (!r.ok) throw new Error(r.problem);
  return { since: r.since };
}
