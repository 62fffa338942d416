// Destructive actions from the tree: purge and delete a stream, delete a consumer. Each is refused on a read-only
// connection, refused before sending when the user's permissions forbid it, and asks first, naming what is lost.
import * as vscode from 'vscode';
import { formatCount } from '../../core/text/format';
import type { ConnectionEntry } from '../../nats/connectionManager';
import { registerCommand } from '../commands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { natsRuntime } from '../natsRuntime';
import type { ExplorerTreeProvider } from './explorerTree';
import type { ExplorerNode } from './nodes';

export const STREAM_ACTIONS = {
  purge: 'cimNats.stream.purge',
  deleteStream: 'cimNats.stream.delete',
  deleteConsumer: 'cimNats.consumer.delete',
} as const;

/** Throws the sentence a read-only connection answers with. */
export function assertWritable(entry: ConnectionEntry, action: string): void {
  if (entry.config.readOnly) {
    throw new Error(`${entry.config.name} is a read-only connection: ${action} is not allowed through it (clear "readOnly" in its settings to allow it).`);
  }
}

/** Asks before a destructive action; on a protected connection the user types the name. */
async function confirm(entry: ConnectionEntry, question: string, button: string, name: string): Promise<boolean> {
  if (entry.config.protected) {
    const typed = await vscode.window.showInputBox({
      title: question,
      prompt: `${entry.config.name} is protected: type ${name} to confirm.`,
      ignoreFocusOut: true,
      validateInput: v => (v === name || v === '' ? undefined : `Type ${name} exactly.`),
    });
    return typed === name;
  }
  return (await vscode.window.showWarningMessage(question, { modal: true }, button)) === button;
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

  registerCommand(context, STREAM_ACTIONS.purge, async (node?: unknown) => {
    const { node: n, entry } = target(node, 'stream');
    const { stream } = n as Extract<ExplorerNode, { kind: 'stream' }>;
    assertWritable(entry, `purging ${stream.name}`);
    await permitted(entry, `STREAM.PURGE.${stream.name}`);
    if (!(await confirm(entry, `Purge ${formatCount(stream.messages)} messages from ${stream.name} on ${entry.config.name}?`, 'Purge', stream.name))) return false;
    const session = await registry.session(entry.id);
    try {
      const r = await (await session.jetstreamManager()).streams.purge(stream.name);
      void vscode.window.showInformationMessage(`Purged ${formatCount(r.purged)} messages from ${stream.name}. Its duplicate window still remembers their message ids.`);
    } catch (e) {
      throw new Error(session.describe(e, { action: `purging ${stream.name}`, stream: stream.name }), { cause: e });
    } finally {
      tree.refresh(entry.id);
    }
    return true;
  });

  registerCommand(context, STREAM_ACTIONS.deleteStream, async (node?: unknown) => {
    const { node: n, entry } = target(node, 'stream');
    const { stream } = n as Extract<ExplorerNode, { kind: 'stream' }>;
    assertWritable(entry, `deleting ${stream.name}`);
    await permitted(entry, `STREAM.DELETE.${stream.name}`);
    const lost = `${formatCount(stream.messages)} messages and ${formatCount(stream.consumerCount)} consumers`;
    if (!(await confirm(entry, `Delete stream ${stream.name} on ${entry.config.name}, with its ${lost}?`, 'Delete', stream.name))) return false;
    const session = await registry.session(entry.id);
    try {
      await (await session.jetstreamManager()).streams.delete(stream.name);
      void vscode.window.showInformationMessage(`Deleted stream ${stream.name}.`);
    } catch (e) {
      throw new Error(session.describe(e, { action: `deleting ${stream.name}`, stream: stream.name }), { cause: e });
    } finally {
      tree.refresh(entry.id);
    }
    return true;
  });

  registerCommand(context, STREAM_ACTIONS.deleteConsumer, async (node?: unknown) => {
    const { node: n, entry } = target(node, 'consumer');
    const { consumer } = n as Extract<ExplorerNode, { kind: 'consumer' }>;
    assertWritable(entry, `deleting consumer ${consumer.name}`);
    await permitted(entry, `CONSUMER.DELETE.${consumer.stream}.${consumer.name}`);
    const q = `Delete consumer ${consumer.name} of ${consumer.stream} on ${entry.config.name}? Its position (${formatCount(consumer.pending)} pending, ${formatCount(consumer.ackPending)} unacknowledged) is lost.`;
    if (!(await confirm(entry, q, 'Delete', consumer.name))) return false;
    const session = await registry.session(entry.id);
    try {
      await (await session.jetstreamManager()).consumers.delete(consumer.stream, consumer.name);
      void vscode.window.showInformationMessage(`Deleted consumer ${consumer.name} of ${consumer.stream}.`);
    } catch (e) {
      throw new Error(session.describe(e, { action: `deleting consumer ${consumer.name}`, stream: consumer.stream }), { cause: e });
    } finally {
      tree.refresh(entry.id);
    }
    return true;
  });
}
