// Read actions on the tree: refresh, filter, info documents, copy names, subjects and filters; from the palette each
// asks for its connection, stream or consumer.
import * as vscode from 'vscode';
import { registerCommand } from '../platform/commands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { ExplorerTreeProvider } from './explorerTree';
import type { InfoDocumentProvider } from './infoDocuments';
import type { ExplorerNode } from './nodes';
import { nodeOrPick } from './palettePick';
import { COMMANDS } from '../platform/commandIds';

export const EXPLORER_COMMANDS = {
  refresh: COMMANDS.explorerRefresh,
  filter: COMMANDS.explorerFilter,
  clearFilter: COMMANDS.explorerClearFilter,
  streamInfo: COMMANDS.streamShowInfo,
  copyStreamName: COMMANDS.streamCopyName,
  copyStreamSubjects: COMMANDS.streamCopySubjects,
  consumerInfo: COMMANDS.consumerShowInfo,
  copyConsumerFilter: COMMANDS.consumerCopyFilter,
  countEventTypesExactly: COMMANDS.streamCountEventTypesExactly,
} as const;

export function registerExplorerCommands(context: vscode.ExtensionContext, registry: ConnectionRegistry, tree: ExplorerTreeProvider, info: InfoDocumentProvider): void {
  const connectionName = (entryId: string) => registry.entry(entryId)?.config.name ?? entryId;

  registerCommand(context, EXPLORER_COMMANDS.refresh, (node?: ExplorerNode) => {
    if (!node || typeof node !== 'object') return tree.refresh();
    tree.refresh(node.kind === 'connection' ? node.entry.id : 'entryId' in node ? node.entryId : undefined);
  });

  registerCommand(context, EXPLORER_COMMANDS.filter, async (text?: string) => {
    const value = typeof text === 'string' ? text : await vscode.window.showInputBox({ title: 'Filter streams by name', value: tree.filter ?? '', prompt: 'Part of a stream name, e.g. SALES; empty shows every stream' });
    if (value !== undefined) tree.setFilter(value);
  });

  registerCommand(context, EXPLORER_COMMANDS.clearFilter, () => tree.setFilter(undefined));

  registerCommand(context, EXPLORER_COMMANDS.countEventTypesExactly, async (node?: unknown) => {
    const n = await nodeOrPick(registry, node, 'eventTypes', { title: 'Count the event types of which stream exactly?', tree, streams: s => s.kind === 'stream' && !s.unavailable && s.messages > 0 });
    if (n) tree.countEventTypesExactly(n);
    return n ? n.stream.name : undefined;
  });

  registerCommand(context, EXPLORER_COMMANDS.streamInfo, async (node?: unknown) => {
    const n = await nodeOrPick(registry, node, 'stream', { title: 'Show the info of which stream?' });
    if (!n) return undefined;
    const { entryId, stream } = n;
    return info.show(connectionName(entryId), stream.name, { config: stream.config, state: stream.state, ...(stream.cluster ? { cluster: stream.cluster } : {}), ...(stream.unavailable ? { unavailable: stream.unavailable } : {}) });
  });

  registerCommand(context, EXPLORER_COMMANDS.consumerInfo, async (node?: unknown) => {
    const n = await nodeOrPick(registry, node, 'consumer', { title: 'Show the info of which consumer?' });
    if (!n) return undefined;
    const { entryId, consumer } = n;
    return info.show(connectionName(entryId), `${consumer.stream}.${consumer.name}`, consumer.raw);
  });

  registerCommand(context, EXPLORER_COMMANDS.copyStreamName, async (node?: unknown) => {
    const n = await nodeOrPick(registry, node, 'stream', { title: 'Copy the name of which stream?' });
    if (n) await vscode.env.clipboard.writeText(n.stream.name);
  });

  registerCommand(context, EXPLORER_COMMANDS.copyStreamSubjects, async (node?: unknown) => {
    const n = await nodeOrPick(registry, node, 'stream', { title: 'Copy the subjects of which stream?' });
    if (n) await vscode.env.clipboard.writeText(n.stream.subjects.join('\n'));
  });

  registerCommand(context, EXPLORER_COMMANDS.copyConsumerFilter, async (node?: unknown) => {
    const n = await nodeOrPick(registry, node, 'consumer', { title: 'Copy the filter of which consumer?' });
    if (!n) return;
    const { consumer } = n;
    if (consumer.filterSubjects.length === 0) throw new Error(`Consumer ${consumer.name} has no filter: it reads all of ${consumer.stream}.`);
    await vscode.env.clipboard.writeText(consumer.filterSubjects.join('\n'));
  });
}
