// The dashboards' commands: from a tree row (stream, consumer, connection, server) or from the palette, which asks
// for the connection, stream or consumer.
import type * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { ExplorerTreeProvider } from '../explorer/explorerTree';
import type { ExplorerNode, NodeOf } from '../explorer/nodes';
import { nodeOrPick, pickConnection } from '../explorer/palettePick';
import { COMMANDS } from '../platform/commandIds';
import { registerCommand } from '../platform/commands';
import type { Dashboards } from './dashboardPanels';

export const DASHBOARD_COMMANDS = {
  openStream: COMMANDS.dashboardOpenStream,
  openConsumer: COMMANDS.dashboardOpenConsumer,
  openOverview: COMMANDS.dashboardOpenOverview,
  openServer: COMMANDS.dashboardOpenServer,
} as const;

export function registerDashboardCommands(context: vscode.ExtensionContext, registry: ConnectionRegistry, tree: ExplorerTreeProvider, dashboards: Dashboards): void {
  registerCommand(context, DASHBOARD_COMMANDS.openStream, async (arg?: unknown) => {
    const node = await nodeOrPick(registry, arg, 'stream', { title: 'Open the dashboard of which stream?', streams: s => !s.unavailable });
    if (!node) return;
    const prefix = await eventTypesPrefix(tree, node);
    await dashboards.show({ kind: 'stream', entryId: node.entryId, stream: node.stream.name, ...(prefix ? { eventTypesPrefix: prefix } : {}) });
  });
  registerCommand(context, DASHBOARD_COMMANDS.openConsumer, async (arg?: unknown) => {
    const node = await nodeOrPick(registry, arg, 'consumer', { title: 'Open the dashboard of which consumer?', streams: s => !s.unavailable && s.consumerCount > 0 });
    if (node) await dashboards.show({ kind: 'consumer', entryId: node.entryId, stream: node.consumer.stream, consumer: node.consumer.name });
  });
  registerCommand(context, DASHBOARD_COMMANDS.openOverview, async (arg?: unknown) => {
    const entryId = await connectionOf(registry, arg, 'Open the streams dashboard of which connection?');
    if (entryId) await dashboards.show({ kind: 'overview', entryId });
  });
  registerCommand(context, DASHBOARD_COMMANDS.openServer, async (arg?: unknown) => {
    const entryId = await connectionOf(registry, arg, 'Open the server dashboard of which connection?');
    if (entryId) await dashboards.show({ kind: 'server', entryId });
  });
}

async function connectionOf(registry: ConnectionRegistry, arg: unknown, title: string): Promise<string | undefined> {
  const node = arg && typeof arg === 'object' && 'kind' in arg ? (arg as ExplorerNode) : undefined;
  if (node?.kind === 'connection') return node.entry.id;
  if (node && 'entryId' in node && node.entryId) return node.entryId;
  return (await pickConnection(registry, title))?.id;
}

/** The prefix of a domain-events stream's event types, as the tree lays them out (none for other streams). */
async function eventTypesPrefix(tree: ExplorerTreeProvider, node: NodeOf<'stream'>): Promise<string | undefined> {
  if (node.stream.kind !== 'stream' || node.stream.messages === 0) return undefined;
  let shown: NodeOf<'stream'> | undefined = node.category ? node : undefined;
  if (!shown) {
    // from the palette: the tree's own row for it, which knows its category
    const root = (await tree.getChildren()).find(n => n.kind === 'connection' && n.entry.id === node.entryId);
    for (const group of root ? await tree.getChildren(root) : []) {
      if (group.kind !== 'group' || group.key.kind !== 'category') continue;
      shown = (await tree.getChildren(group)).find((n): n is NodeOf<'stream'> => n.kind === 'stream' && n.stream.name === node.stream.name);
      if (shown) break;
    }
  }
  if (!shown) return undefined;
  const rows = await tree.getChildren(shown);
  const types = rows.find((n): n is NodeOf<'eventTypes'> => n.kind === 'eventTypes');
  return types?.prefix;
}
