// The JetStream explorer's wiring: connections, the tree view, the status bar and their commands.
import * as vscode from 'vscode';
import type { AlgebraService } from '../algebraService';
import { registerConnectionCommands } from '../connections/connectionCommands';
import { ConnectionRegistry } from '../connections/connectionRegistry';
import { ConnectionStatusBar } from '../connections/statusBar';
import type { DomainService } from '../domainService';
import { registerExplorerCommands } from './explorerCommands';
import { ExplorerTreeProvider } from './explorerTree';
import { INFO_SCHEME, InfoDocumentProvider } from './infoDocuments';
import { registerConsumerActions } from './consumerActions';
import { registerExportImport } from './exportImportCommands';
import { registerInitStreams } from './initStreamsCommand';
import { registerMessageView } from './messageView';
import { registerStreamActions } from './streamActions';
import { registerPlaybookCommands } from '../publish/playbookCommands';
import { registerSampleEventCommand } from '../publish/sampleEventCommand';
import { registerSmokeCommand } from '../publish/smokeCommand';
import { registerTailCommands } from '../tail/tailCommands';
import { TailManager } from '../tail/tailManager';

export const EXPLORER_VIEW = 'cimNats.explorer';

/** What activate() hands back: the live objects in-host tests read (what VS Code renders comes from them). */
export interface ExplorerApi {
  registry: ConnectionRegistry;
  explorer: ExplorerTreeProvider;
  statusBar: ConnectionStatusBar;
  tails: TailManager;
  /** The extension's log folder (tests check that no secret reaches any log). */
  logUri: vscode.Uri;
}

export function registerExplorer(context: vscode.ExtensionContext, algebra: AlgebraService, domains: DomainService): ExplorerApi {
  const registry = new ConnectionRegistry(context);
  const explorer = new ExplorerTreeProvider(registry, algebra, domains);
  const statusBar = new ConnectionStatusBar(registry);
  const info = new InfoDocumentProvider();
  const view = vscode.window.createTreeView(EXPLORER_VIEW, { treeDataProvider: explorer, showCollapseAll: true });
  // counts and "x ago" stay fresh on an interval while the view is visible
  context.subscriptions.push(explorer.showIn(view));
  context.subscriptions.push(registry, explorer, statusBar, info, view, vscode.workspace.registerTextDocumentContentProvider(INFO_SCHEME, info));
  const setHasConnections = () => void vscode.commands.executeCommand('setContext', 'cimNats.hasConnections', registry.entries().length > 0);
  context.subscriptions.push(registry.onDidChangeEntries(setHasConnections));
  setHasConnections();
  registerConnectionCommands(context, registry, algebra);
  registerExplorerCommands(context, registry, explorer, info);
  registerStreamActions(context, registry, explorer);
  registerInitStreams(context, registry, explorer, info, algebra, domains);
  registerMessageView(context, registry);
  registerConsumerActions(context, registry, explorer, info);
  registerExportImport(context, registry, explorer);
  const tails = new TailManager(registry, algebra, domains);
  context.subscriptions.push(tails);
  registerTailCommands(context, registry, tails);
  const playbooks = registerPlaybookCommands(context, registry, algebra, tails);
  registerSampleEventCommand(context, registry, algebra, domains, playbooks, explorer);
  registerSmokeCommand(context, registry, algebra, domains, info);
  return { registry, explorer, statusBar, tails, logUri: context.logUri };
}
