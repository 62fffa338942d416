// The key commands: open a value, create a key (refusing a live one), delete and purge (confirmed with what the server
// holds now; protected connections ask for the key typed), a key's history (open, compare, revert), what a bucket
// shows (pattern, deleted keys, next page), and watches. Bucket commands are in kvBucketCommands.ts.
import * as vscode from 'vscode';
import { keyPatternProblem, keyProblem } from '../../core/kv/valueText';
import { formatBytes, formatCount } from '../../core/text/format';
import type { KvValue } from '../../nats/kv';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { ExplorerTreeProvider } from '../explorer/explorerTree';
import type { ExplorerNode } from '../explorer/nodes';
import { assertWritable } from '../explorer/streamActions';
import { COMMANDS } from '../platform/commandIds';
import { registerCommand } from '../platform/commands';
import { natsRuntime } from '../platform/natsRuntime';
import { KV_SCHEME, KvFileSystem, kvUri, openKvDocument } from './kvDocuments';
import { bucketTarget, keyTarget } from './kvPick';
import { KEY_PAGE } from './kvTree';
import { KvWatchManager } from './kvWatches';
import { registerBucketCommands } from './kvBucketCommands';
import { confirmDestructive } from '../platform/confirm';

/** Scripted use (tests, other commands) passes what the prompts would ask; confirmations are always asked. */
interface CreateKeyArgs {
  key?: string;
  value?: string;
  open?: boolean;
}

export interface KvServices {
  fs: KvFileSystem;
  watches: KvWatchManager;
}

export function registerKvCommands(context: vscode.ExtensionContext, registry: ConnectionRegistry, tree: ExplorerTreeProvider): KvServices {
  const changed = (entryId: string, bucket: string, reason: string) => registry.didChangeServer({ connectionId: entryId, streams: [`KV_${bucket}`], reason });
  const fs = new KvFileSystem(registry, ref => changed(ref.entryId, ref.bucket, 'key saved'));
  const watches = new KvWatchManager(registry);
  context.subscriptions.push(
    fs,
    watches,
    vscode.workspace.registerFileSystemProvider(KV_SCHEME, fs, { isCaseSensitive: true }),
    vscode.workspace.onDidCloseTextDocument(doc => {
      if (doc.uri.scheme === KV_SCHEME) fs.forget(doc.uri);
    }),
  );
  const session = (entryId: string) => registry.session(entryId);

  registerCommand(context, COMMANDS.kvOpenKey, async (arg?: unknown) => {
    const t = await keyTarget(registry, arg, 'Open which key?');
    if (!t) return undefined;
    return openKvDocument(fs, { entryId: t.entry.id, bucket: t.bucket, key: t.key });
  });

  registerCommand(context, COMMANDS.kvCreateKey, async (arg?: unknown, args: CreateKeyArgs = {}) => {
    const t = await bucketTarget(registry, arg, 'Create a key in which bucket?');
    if (!t) return undefined;
    assertWritable(t.entry, `creating a key in bucket ${t.bucket}`);
    const key = args.key ?? await vscode.window.showInputBox({
      title: `New key in bucket ${t.bucket}`,
      prompt: 'Key (letters, digits and - / _ = ; dots separate tokens, e.g. orders.17)',
      ignoreFocusOut: true,
      validateInput: v => keyProblem(v.trim()),
    });
    if (!key) return undefined;
    const value = args.value ?? await vscode.window.showInputBox({ title: `Value of ${key}`, prompt: 'Its first value (JSON or text); edit it afterwards in the editor', value: '{}', ignoreFocusOut: true });
    if (value === undefined) return undefined;
    const rt = await natsRuntime();
    const revision = await rt.createKey(await session(t.entry.id), t.bucket, key.trim(), new TextEncoder().encode(value));
    changed(t.entry.id, t.bucket, 'key created');
    if (args.open !== false) await openKvDocument(fs, { entryId: t.entry.id, bucket: t.bucket, key: key.trim() });
    return revision;
  });

  registerCommand(context, COMMANDS.kvDeleteKey, async (arg?: unknown) => {
    const t = await keyTarget(registry, arg, 'Delete which key?');
    if (!t) return false;
    assertWritable(t.entry, `deleting ${t.key}`);
    const [rt, s] = await Promise.all([natsRuntime(), session(t.entry.id)]);
    const [now, bucket] = await Promise.all([rt.getValue(s, t.bucket, t.key), rt.bucketNow(s, t.bucket)]);
    if (!now || now.operation !== 'PUT') throw new Error(`${t.key} in bucket ${t.bucket} holds no value now${now ? ` (it was ${now.operation === 'DEL' ? 'deleted' : 'purged'} at revision ${now.revision})` : ''}: nothing to delete.`);
    const question = `Delete ${t.key} from bucket ${t.bucket}? Its value at revision ${now.revision} (${formatBytes(now.size)}) stays in the key's history (${bucket.history} kept) until purged.`;
    if (!(await confirmDestructive(t.entry, question, 'Delete', t.key))) return false;
    await rt.deleteKey(s, t.bucket, t.key, now.revision);
    changed(t.entry.id, t.bucket, 'key deleted');
    void vscode.window.showInformationMessage(`Deleted ${t.key} from bucket ${t.bucket} (a delete marker after revision ${now.revision}).`);
    return true;
  });

  registerCommand(context, COMMANDS.kvPurgeKey, async (arg?: unknown) => {
    const t = await keyTarget(registry, arg, 'Purge which key?', { includeDeleted: true });
    if (!t) return false;
    assertWritable(t.entry, `purging ${t.key}`);
    const [rt, s] = await Promise.all([natsRuntime(), session(t.entry.id)]);
    const history = await rt.keyHistory(s, t.bucket, t.key);
    const values = history.filter(h => h.operation === 'PUT').length;
    const question = `Purge ${t.key} from bucket ${t.bucket}? Its ${formatCount(history.length)} ${history.length === 1 ? 'revision' : 'revisions'} (${formatCount(values)} ${values === 1 ? 'value' : 'values'}) ${history.length === 1 ? 'is' : 'are'} removed for good.`;
    if (!(await confirmDestructive(t.entry, question, 'Purge', t.key))) return false;
    await rt.purgeKey(s, t.bucket, t.key);
    changed(t.entry.id, t.bucket, 'key purged');
    void vscode.window.showInformationMessage(`Purged ${t.key} from bucket ${t.bucket}: ${formatCount(history.length)} revisions removed.`);
    return true;
  });

  registerCommand(context, COMMANDS.kvHistory, async (arg?: unknown) => {
    const t = await keyTarget(registry, arg, 'History of which key?', { includeDeleted: true });
    if (!t) return undefined;
    const [rt, s] = await Promise.all([natsRuntime(), session(t.entry.id)]);
    const history = (await rt.keyHistory(s, t.bucket, t.key)).reverse();
    if (history.length === 0) throw new Error(`${t.key} has no revision in bucket ${t.bucket}.`);
    const item = (h: KvValue) => ({ label: `rev ${h.revision}`, description: `${h.operation} · ${formatBytes(h.size)} · ${h.created.toISOString().replace('T', ' ').slice(0, 23)}`, h });
    const pick = await vscode.window.showQuickPick(history.map(item), { title: `${t.key} in bucket ${t.bucket}: ${history.length} revisions (newest first)`, ignoreFocusOut: true });
    if (!pick) return undefined;
    const ref = { entryId: t.entry.id, bucket: t.bucket, key: t.key };
    const latest = history[0]!;
    const actions = pick.h.operation === 'PUT'
      ? ['Open', ...(pick.h.revision !== latest.revision && latest.operation === 'PUT' ? ['Compare with Latest'] : []), 'Compare with Another Revision…', ...(pick.h.revision !== latest.revision ? ['Revert to This Revision…'] : [])]
      : [];
    if (actions.length === 0) throw new Error(`Revision ${pick.h.revision} is a ${pick.h.operation === 'DEL' ? 'delete' : 'purge'} marker: it holds no value to open.`);
    const action = await vscode.window.showQuickPick(actions, { title: `Revision ${pick.h.revision} of ${t.key}`, ignoreFocusOut: true });
    const title = (a: number, b: string) => `${t.key}: revision ${a} ↔ ${b}`;
    if (action === 'Open') return openKvDocument(fs, { ...ref, revision: pick.h.revision });
    if (action === 'Compare with Latest') return vscode.commands.executeCommand('vscode.diff', kvUri({ ...ref, revision: pick.h.revision }), kvUri({ ...ref, revision: latest.revision }), title(pick.h.revision, `latest (${latest.revision})`));
    if (action === 'Compare with Another Revision…') {
      const others = history.filter(h => h.operation === 'PUT' && h.revision !== pick.h.revision);
      if (others.length === 0) throw new Error(`${t.key} has no other revision holding a value.`);
      const other = await vscode.window.showQuickPick(others.map(item), { title: `Compare revision ${pick.h.revision} with`, ignoreFocusOut: true });
      if (!other) return undefined;
      const [a, b] = pick.h.revision < other.h.revision ? [pick.h, other.h] : [other.h, pick.h];
      return vscode.commands.executeCommand('vscode.diff', kvUri({ ...ref, revision: a.revision }), kvUri({ ...ref, revision: b.revision }), title(a.revision, String(b.revision)));
    }
    if (action === 'Revert to This Revision…') {
      assertWritable(t.entry, `reverting ${t.key}`);
      const now = await rt.getValue(s, t.bucket, t.key);
      const question = `Put revision ${pick.h.revision}'s value (${formatBytes(pick.h.size)}) back as the latest of ${t.key}? The latest is revision ${now?.revision ?? '?'}; if it changes before this is written, nothing is.`;
      if (!(await confirmDestructive(t.entry, question, 'Revert', t.key))) return undefined;
      const revision = await rt.revertKey(s, t.bucket, t.key, pick.h.revision, now?.revision ?? 0);
      changed(t.entry.id, t.bucket, 'key reverted');
      void vscode.window.showInformationMessage(`${t.key} holds revision ${pick.h.revision}'s value again, as revision ${revision}.`);
      return revision;
    }
    return undefined;
  });

  const bucketNode = (arg: unknown): Extract<ExplorerNode, { kind: 'kvBucket' }> => {
    const n = arg as ExplorerNode | undefined;
    if (n?.kind !== 'kvBucket') throw new Error('Run this on a bucket in the JetStream explorer.');
    return n;
  };

  registerCommand(context, COMMANDS.kvFilterKeys, async (arg?: unknown, pattern?: string) => {
    const n = bucketNode(arg);
    const view = tree.kvRows.view(n.entryId, n.bucket.name);
    const typed = pattern ?? await vscode.window.showInputBox({
      title: `Show which keys of bucket ${n.bucket.name}?`,
      prompt: 'A key pattern: * stands for one token, > for the rest (orders.>, *.eu); empty shows every key',
      value: view.pattern ?? '',
      ignoreFocusOut: true,
      validateInput: v => (v.trim() ? keyPatternProblem(v.trim()) : undefined),
    });
    if (typed === undefined) return;
    tree.kvRows.setView(n.entryId, n.bucket.name, { pattern: typed.trim() || undefined });
    tree.refresh(n.entryId);
  });

  registerCommand(context, COMMANDS.kvToggleDeleted, (arg?: unknown) => {
    const n = bucketNode(arg);
    const view = tree.kvRows.view(n.entryId, n.bucket.name);
    tree.kvRows.setView(n.entryId, n.bucket.name, { showDeleted: !view.showDeleted });
    tree.refresh(n.entryId);
  });

  registerCommand(context, COMMANDS.kvLoadMore, (arg?: unknown) => {
    const n = arg as ExplorerNode | undefined;
    if (n?.kind !== 'kvMore') throw new Error('Run this on "Load more keys…" in the JetStream explorer.');
    const view = tree.kvRows.view(n.entryId, n.bucket);
    tree.kvRows.setView(n.entryId, n.bucket, { limit: view.limit + KEY_PAGE });
    tree.refresh(n.entryId);
  });

  registerCommand(context, COMMANDS.kvWatch, async (arg?: unknown, args: { pattern?: string; from?: 'now' | 'history' } = {}) => {
    const t = await bucketTarget(registry, arg, 'Watch which bucket?');
    if (!t) return undefined;
    const node = arg as ExplorerNode | undefined;
    const pattern = args.pattern ?? await vscode.window.showInputBox({
      title: `Watch which keys of bucket ${t.bucket}?`,
      prompt: 'A key or key pattern (* one token, > the rest)',
      value: node?.kind === 'kvKey' ? node.entry.key : (tree.kvRows.view(t.entry.id, t.bucket).pattern ?? '>'),
      ignoreFocusOut: true,
      validateInput: v => keyPatternProblem(v.trim()),
    });
    if (!pattern) return undefined;
    const from = args.from ?? (await vscode.window.showQuickPick([
      { label: 'From now', description: 'changes from now on', from: 'now' as const },
      { label: 'With history', description: 'every revision the bucket keeps, then the changes', from: 'history' as const },
    ], { title: `Watch ${pattern} in bucket ${t.bucket}`, ignoreFocusOut: true }))?.from;
    if (!from) return undefined;
    return watches.start(t.entry.id, t.bucket, pattern.trim(), from);
  });

  registerCommand(context, COMMANDS.kvStopWatch, async () => {
    const running = watches.list();
    if (running.length === 0) {
      void vscode.window.showInformationMessage('No key-value watch is running.');
      return 0;
    }
    const pick = running.length === 1 ? running[0] : (await vscode.window.showQuickPick(running.map(w => ({ label: `${w.bucket} ${w.pattern}`, description: `${w.seen} changes`, w })), { title: 'Stop which watch?' }))?.w;
    if (!pick) return 0;
    watches.stop(pick);
    return 1;
  });

  registerBucketCommands(context, registry);
  return { fs, watches };
}
