// Destructive actions from the tree: purge and delete a stream, delete a consumer. Each is refused on a read-only
// connection, refused before sending when the user's permissions forbid it, and asks first, naming what is lost.
import * as vscode from 'vscode';
import { formatCount } from '../../core/text/format';
import type { ConnectionEntry } from '../../nats/connection/manager';
import { registerCommand } from '../platform/commands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { natsRuntime } from '../platform/natsRuntime';
import type { ExplorerTreeProvider } from './explorerTree';
import type { ExplorerNode } from './nodes';
import { consumerNow, streamNow } from './serverNow';
import { nodeOrPick } from './palettePick';
import { COMMANDS } from '../platform/commandIds';
import { confirmDestructive } from '../platform/confirm';

export const STREAM_ACTIONS = {
  purge: COMMANDS.streamPurge,
  deleteStream: COMMANDS.streamDelete,
  deleteConsumer: COMMANDS.consumerDelete,
} as const;

/** Throws the sentence a read-only connection answers with. */
export function assertWritable(entry: ConnectionEntry, action: string): void {
  if (entry.config.readOnly) {
    throw new Error(`${entry.config.name} is a read-only connection: ${action} is not allowed through it (clear "readOnly" in its settings to allow it).`);
  }
}

export function registerStreamActions(context: vscode.ExtensionContext, registry: ConnectionRegistry, tree: ExplorerTreeProvider): void {
  /** The API subject the client will publish to, checked against the user's permissions (servers 2.10+). */
  const permitted = async (entry: ConnectionEntry, api: string) => {
    const rt = await natsRuntime();
    const overview = await tree.overview(entry.id).catch(() => undefined);
    const domain = entry.config.jetStreamDomain;
    const refusal = rt.checkPermission(overview?.permissions, 'publish', `${domain ? `$JS.${domain}.API` : '$JS.API'}.${api}`);
    if (refusal) throw new Error(refusal);
  };

  const target = (node: unknown, kind: 'stream' | 'consumer') => {
    const n = node as ExplorerNode | undefined;
    if (n?.kind !== kind) throw new Error(`Run this on a ${kind} in the JetStream explorer.`);
    const entry = registry.entry(n.entryId);
    if (!entry) throw new Error('That connection no longer exists: refresh the explorer.');
    return { node: n as Extract<ExplorerNode, { kind: typeof kind }>, entry };
  };

  // (node, { filter?, keep? }): scripted use skips the choice of what to purge, never the confirmation
  registerCommand(context, STREAM_ACTIONS.purge, async (node?: unknown, scripted?: { filter?: string; keep?: number }) => {
    const picked = await nodeOrPick(registry, node, 'stream', { title: 'Purge which stream?' });
    if (!picked) return false;
    const { node: n, entry } = target(picked, 'stream');
    const { name } = (n as Extract<ExplorerNode, { kind: 'stream' }>).stream;
    assertWritable(entry, `purging ${name}`);
    await permitted(entry, `STREAM.PURGE.${name}`);
    const rt = await natsRuntime();
    // every count the user is shown is the server's at that moment, not the row's
    let stream = await streamNow(registry, entry, name);
    const what = scripted ?? (await pickPurge(stream.name, stream.messages, stream.subjects, rt.purgeFilterProblem));
    if (!what) return false;
    if (what.filter) {
      const problem = rt.purgeFilterProblem(what.filter, stream.subjects);
      if (problem) throw new Error(problem);
    }
    const session = await registry.session(entry.id);
    stream = await streamNow(registry, entry, name);
    const matching = what.filter ? await rt.countMatching(session, stream.name, what.filter) : stream.messages;
    const lost = what.keep !== undefined
      ? `all but the newest ${formatCount(what.keep)} of the ${matching === undefined ? '' : `${formatCount(matching)} `}messages${what.filter ? ` matching ${what.filter}` : ''}`
      : `${matching === undefined ? 'the' : formatCount(matching)} messages${what.filter ? ` matching ${what.filter}` : ''}`;
    if (!(await confirmDestructive(entry, `Purge ${lost} from ${stream.name} on ${entry.config.name}?`, 'Purge', stream.name))) return false;
    try {
      // what was confirmed: a message stored after the question is not purged
      const purged = await rt.purgeStream(session, stream.name, what.keep === undefined ? { ...what, upTo: stream.lastSeq } : what);
      void vscode.window.showInformationMessage(`Purged ${formatCount(purged)} messages from ${stream.name}. Its duplicate window still remembers their message ids.`);
      return purged;
    } finally {
      registry.didChangeServer({ connectionId: entry.id, streams: [stream.name], reason: 'purge' });
    }
  });

  registerCommand(context, STREAM_ACTIONS.deleteStream, async (node?: unknown) => {
    const picked = await nodeOrPick(registry, node, 'stream', { title: 'Delete which stream?' });
    if (!picked) return false;
    const { node: n, entry } = target(picked, 'stream');
    const { name } = (n as Extract<ExplorerNode, { kind: 'stream' }>).stream;
    assertWritable(entry, `deleting ${name}`);
    await permitted(entry, `STREAM.DELETE.${name}`);
    const stream = await streamNow(registry, entry, name);
    const lost = `${plural(stream.messages, 'message')} and ${plural(stream.consumerCount, 'consumer')}`;
    if (!(await confirmDestructive(entry, `Delete stream ${stream.name} on ${entry.config.name}, with its ${lost}?`, 'Delete', stream.name))) return false;
    const session = await registry.session(entry.id);
    try {
      await (await session.jetstreamManager()).streams.delete(stream.name);
      void vscode.window.showInformationMessage(`Deleted stream ${stream.name}.`);
    } catch (e) {
      throw new Error(session.describe(e, { action: `deleting ${stream.name}`, stream: stream.name }), { cause: e });
    } finally {
      registry.didChangeServer({ connectionId: entry.id, streams: [stream.name], reason: 'stream deleted' });
    }
    return true;
  });

  registerCommand(context, STREAM_ACTIONS.deleteConsumer, async (node?: unknown) => {
    const picked = await nodeOrPick(registry, node, 'consumer', { title: 'Delete which consumer?' });
    if (!picked) return false;
    const { node: n, entry } = target(picked, 'consumer');
    const shown = (n as Extract<ExplorerNode, { kind: 'consumer' }>).consumer;
    assertWritable(entry, `deleting consumer ${shown.name}`);
    await permitted(entry, `CONSUMER.DELETE.${shown.stream}.${shown.name}`);
    const consumer = await consumerNow(registry, entry, shown.stream, shown.name);
    const q = `Delete consumer ${consumer.name} of ${consumer.stream} on ${entry.config.name}? Its position (${formatCount(consumer.pending)} pending, ${formatCount(consumer.ackPending)} unacknowledged) is lost.`;
    if (!(await confirmDestructive(entry, q, 'Delete', consumer.name))) return false;
    const session = await registry.session(entry.id);
    try {
      await (await session.jetstreamManager()).consumers.delete(consumer.stream, consumer.name);
      void vscode.window.showInformationMessage(`Deleted consumer ${consumer.name} of ${consumer.stream}.`);
    } catch (e) {
      throw new Error(session.describe(e, { action: `deleting consumer ${consumer.name}`, stream: consumer.stream }), { cause: e });
    } finally {
      registry.didChangeServer({ connectionId: entry.id, streams: [consumer.stream], reason: 'consumer deleted' });
    }
    return true;
  });
}

async function pickPurge(name: string, messages: number, subjects: readonly string[], problem: (f: string, s: readonly string[]) => string | undefined): Promise<{ filter?: string; keep?: number } | undefined> {
  const pick = await vscode.window.showQuickPick([
    { label: `Everything (${formatCount(messages)} messages)`, id: 'all' },
    { label: 'Messages matching a subject filter…', id: 'filter' },
    { label: 'All but the newest N…', id: 'keep' },
  ], { title: `Purge ${name}`, ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.id === 'all') return {};
  if (pick.id === 'filter') {
    const filter = await vscode.window.showInputBox({ title: `Purge ${name}: subject filter`, prompt: `Within ${subjects.join(', ')}`, ignoreFocusOut: true, validateInput: v => (v.trim() ? problem(v.trim(), subjects) : 'Enter a subject or pattern.') });
    return filter ? { filter: filter.trim() } : undefined;
  }
  const keep = await vscode.window.showInputBox({ title: `Purge ${name}: how many of the newest messages to keep?`, ignoreFocusOut: true, validateInput: v => (/^\d+$/.test(v.trim()) ? undefined : 'Enter a whole number.') });
  return keep ? { keep: Number(keep) } : undefined;
}

/** `1 consumer`, `3 consumers`, `1,200 messages`. */
function plural(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}
