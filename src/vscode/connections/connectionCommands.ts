// Connection commands: add, edit, remove, connect, disconnect, switch, import natscli contexts.
import * as vscode from 'vscode';
import type { ConnectionEntry } from '../../nats/connection/manager';
import type { AlgebraService } from '../algebraService';
import { registerCommand } from '../platform/commands';
import type { ExplorerNode } from '../explorer/nodes';
import { log } from '../platform/log';
import { natsRuntime } from '../platform/natsRuntime';
import { connectionFlow, type ConnectionFlowArgs } from './connectionFlow';
import type { ConnectionRegistry } from './connectionRegistry';
import { SWITCH_CONNECTION } from './statusBar';
import { COMMANDS } from '../platform/commandIds';

export const CONNECTION_COMMANDS = {
  add: COMMANDS.connectionAdd,
  edit: COMMANDS.connectionEdit,
  remove: COMMANDS.connectionRemove,
  connect: COMMANDS.connectionConnect,
  disconnect: COMMANDS.connectionDisconnect,
  importContexts: COMMANDS.connectionImportContexts,
  switch: SWITCH_CONNECTION,
} as const;

/** The connection a command is about: the tree node it was invoked on, an id, or a pick among all. */
export async function resolveEntry(registry: ConnectionRegistry, arg: unknown, placeHolder = 'Pick a connection'): Promise<ConnectionEntry | undefined> {
  if (typeof arg === 'string') return registry.entry(arg) ?? registry.entries().find(e => e.config.name === arg);
  const node = arg && typeof arg === 'object' ? (arg as ExplorerNode) : undefined;
  if (node?.kind === 'connection') return registry.entry(node.entry.id);
  if (node && 'entryId' in node && node.entryId) return registry.entry(node.entryId);
  const entries = registry.entries();
  if (entries.length === 0) {
    const choice = await vscode.window.showInformationMessage('There is no NATS connection yet.', 'Add Connection', 'Import natscli Contexts');
    if (choice === 'Add Connection') await vscode.commands.executeCommand(CONNECTION_COMMANDS.add);
    if (choice === 'Import natscli Contexts') await vscode.commands.executeCommand(CONNECTION_COMMANDS.importContexts);
    return undefined;
  }
  if (entries.length === 1) return entries[0];
  const pick = await vscode.window.showQuickPick(entries.map(e => ({ label: e.config.name, description: e.config.servers.join(', '), entry: e })), { title: placeHolder, placeHolder });
  return pick?.entry;
}

export function registerConnectionCommands(context: vscode.ExtensionContext, registry: ConnectionRegistry, algebra: AlgebraService): void {
  const environments = async () => [...(await algebra.algebraFor()).algebra.environments];

  registerCommand(context, CONNECTION_COMMANDS.add, async (args?: ConnectionFlowArgs) => connectionFlow(registry, await environments(), undefined, args));

  registerCommand(context, CONNECTION_COMMANDS.edit, async (arg?: unknown, args?: ConnectionFlowArgs) => {
    const entry = await resolveEntry(registry, arg, 'Pick the connection to edit');
    if (!entry) return undefined;
    if (entry.origin !== 'settings') throw new Error(`${entry.config.name} comes from the environment (NATS_URL or NATS_CONTEXT): change the variables, or add it as a connection of its own.`);
    return connectionFlow(registry, await environments(), entry.config, args);
  });

  registerCommand(context, CONNECTION_COMMANDS.remove, async (arg?: unknown, confirmed?: boolean) => {
    const entry = await resolveEntry(registry, arg, 'Pick the connection to remove');
    if (!entry) return false;
    if (entry.origin !== 'settings') throw new Error(`${entry.config.name} comes from the environment (NATS_URL or NATS_CONTEXT): unset the variables to remove it.`);
    if (confirmed !== true) {
      const ok = await vscode.window.showWarningMessage(`Remove the connection ${entry.config.name}? Its stored secret is deleted too; the server is not touched.`, { modal: true }, 'Remove');
      if (ok !== 'Remove') return false;
    }
    await registry.disconnect(entry.id);
    await registry.remove(entry);
    return true;
  });

  registerCommand(context, CONNECTION_COMMANDS.connect, async (arg?: unknown) => {
    const entry = await resolveEntry(registry, arg, 'Pick the connection to open');
    if (!entry) return undefined;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Connecting to ${entry.config.name}` }, () => registry.session(entry.id));
    await registry.setActive(entry.id);
    return entry.id;
  });

  registerCommand(context, CONNECTION_COMMANDS.disconnect, async (arg?: unknown) => {
    const entry = await resolveEntry(registry, arg, 'Pick the connection to close');
    if (entry) await registry.disconnect(entry.id);
  });

  registerCommand(context, CONNECTION_COMMANDS.switch, async () => {
    const entries = registry.entries();
    const active = registry.activeId();
    const items: (vscode.QuickPickItem & { id?: string; action?: string })[] = [
      ...entries.map(e => {
        const state = registry.state(e.id).kind;
        return { label: `${e.id === active ? '$(check) ' : ''}${e.config.name}`, description: state === 'idle' ? '' : state, detail: e.config.servers.join(', '), id: e.id };
      }),
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(add) Add Connection…', action: CONNECTION_COMMANDS.add },
      { label: '$(cloud-download) Import natscli Contexts…', action: CONNECTION_COMMANDS.importContexts },
    ];
    const pick = await vscode.window.showQuickPick(items, { placeHolder: 'The connection CIM NATS uses' });
    if (pick?.action) return vscode.commands.executeCommand(pick.action);
    if (pick?.id) return vscode.commands.executeCommand(CONNECTION_COMMANDS.connect, pick.id);
    return undefined;
  });

  // (configDir, names): scripted use skips the pick and imports the contexts named
  registerCommand(context, CONNECTION_COMMANDS.importContexts, async (configDir?: string, names?: string[]) => {
    const rt = await natsRuntime();
    const scan = await rt.readNatsContexts(configDir);
    for (const p of scan.problems) log().warn(p);
    if (scan.contexts.length === 0) throw new Error(scan.problems[0] ?? `There are no natscli contexts in ${scan.dir}.`);
    const existing = new Set(registry.entries().map(e => e.config.name));
    const items = scan.contexts.map(c => ({ label: c.config.name, description: `${c.config.servers.join(', ')}${c.config.name === scan.selected ? ' · selected in natscli' : ''}${existing.has(c.config.name) ? ' · replaces the connection of that name' : ''}`, picked: !existing.has(c.config.name), context: c }));
    const picks = names
      ? items.filter(i => names.includes(i.label))
      : await vscode.window.showQuickPick(items, { title: `Import natscli contexts from ${scan.dir}`, canPickMany: true, ignoreFocusOut: true });
    if (!picks?.length) return 0;
    for (const p of picks) await registry.save(p.context.config, p.context.secret, p.context.config.name);
    if (scan.selected && picks.some(p => p.context.config.name === scan.selected)) await registry.setActive(`settings:${scan.selected}`);
    const skipped = scan.problems.length ? ` ${scan.problems.length} could not be read (see the log).` : '';
    void vscode.window.showInformationMessage(`Imported ${picks.length} natscli context${picks.length === 1 ? '' : 's'}; secrets went to VS Code's secret storage.${skipped}`);
    return picks.length;
  });
}
