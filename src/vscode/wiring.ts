// The one place the extension's services are built and connected: activate() calls wire(); nothing here connects,
// and the NATS code loads on first use (platform/natsRuntime.ts).
import * as vscode from 'vscode';
import { allIdle } from '../core/pending';
import { registerAlgebraCommands } from './algebraCommands';
import { AlgebraService } from './algebraService';
import { AlgebraTreeProvider } from './algebraTree';
import { registerConnectionCommands } from './connections/connectionCommands';
import { ConnectionRegistry } from './connections/connectionRegistry';
import { ConnectionStatusBar } from './connections/statusBar';
import { registerCoverage, registerCoverageLens } from './coverage/register';
import { DomainService } from './domainService';
import { HealthService } from './dashboards/health';
import { LiveFigures } from './dashboards/liveFigures';
import { Dashboards } from './dashboards/dashboardPanels';
import { registerDashboardCommands } from './dashboards/dashboardCommands';
import { registerConsumerActions } from './explorer/consumerActions';
import { registerExplorerCommands } from './explorer/explorerCommands';
import { ExplorerTreeProvider } from './explorer/explorerTree';
import { registerExportImport } from './explorer/exportImportCommands';
import { registerBackupCommands } from './explorer/backupCommands';
import { registerObjectStoreCommands } from './obj/objCommands';
import { registerKvCommands, type KvServices } from './kv/kvCommands';
import { INFO_SCHEME, InfoDocumentProvider } from './explorer/infoDocuments';
import { registerInitStreams } from './explorer/initStreamsCommand';
import { registerMessageView } from './messages/messageView';
import { StreamCatalogue } from './explorer/streamCatalogue';
import { registerStreamActions } from './explorer/streamActions';
import { registerLanguageFeatures } from './language/register';
import { registerFindCommands } from './messages/findCommand';
import { registerTraceCommands } from './messages/traceCommands';
import { NameRegistry } from './nameRegistry';
import { SHOW_LOG, registerCommand } from './platform/commands';
import { configuration } from './platform/configuration';
import { log } from './platform/log';
import { registerPlaybookCommands } from './publish/playbookCommands';
import { registerSampleEventCommand } from './publish/sampleEventCommand';
import { registerSmokeCommand } from './publish/smokeCommand';
import { registerTailCommands } from './tail/tailCommands';
import { TailManager } from './tail/tailManager';
import { webviewsTestHook, type WebviewsTestHook } from './webviews/testHook';
import { WorkspaceFiles } from './workspaceFiles';

export const EXPLORER_VIEW = 'cimNats.explorer';

/** What activate() hands back: the live objects in-host tests read (what VS Code renders comes from them). */
export interface ExtensionApi {
  registry: ConnectionRegistry;
  explorer: ExplorerTreeProvider;
  statusBar: ConnectionStatusBar;
  tails: TailManager;
  /** The extension's log folder (tests check that no secret reaches any log). */
  logUri: vscode.Uri;
  /** Resolves when no subject or coverage diagnostics update is scheduled or running (negative checks wait for it). */
  diagnosticsIdle(): Promise<void>;
  /** Live figures per connection (dashboards and health badges) and the health they give. */
  figures: LiveFigures;
  health: HealthService;
  /** Open webview panels (what crossed to and from each page) and a timeline opened from a model. */
  webviews: WebviewsTestHook;
  /** Key-value documents (the revision each save must find) and watches. */
  kv: KvServices;
}

export function wire(context: vscode.ExtensionContext): ExtensionApi {
  const own = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  own(configuration());
  // the workspace: files, the algebra, domain definitions and the names completion offers
  const files = own(new WorkspaceFiles());
  const algebra = own(new AlgebraService(files));
  const domains = own(new DomainService(files));
  const names = own(new NameRegistry([domains]));
  const algebraTree = own(new AlgebraTreeProvider(algebra));
  own(vscode.window.registerTreeDataProvider('cimNats.algebra', algebraTree));
  registerCommand(context, SHOW_LOG, () => log().show(true));
  registerAlgebraCommands(context, algebra);
  const subjectDiagnostics = registerLanguageFeatures(context, algebra, domains, names);
  registerCoverageLens(context);

  // connections, the one stream catalogue the tree and coverage read, the tree and its commands
  const registry = own(new ConnectionRegistry(context));
  const catalogue = own(new StreamCatalogue(registry));
  const explorer = own(new ExplorerTreeProvider(registry, algebra, domains, catalogue));
  const statusBar = own(new ConnectionStatusBar(registry));
  const info = own(new InfoDocumentProvider());
  own(vscode.workspace.registerTextDocumentContentProvider(INFO_SCHEME, info));
  const view = own(vscode.window.createTreeView(EXPLORER_VIEW, { treeDataProvider: explorer, showCollapseAll: true }));
  // counts and "x ago" stay fresh on an interval while the view is visible
  own(explorer.showIn(view));
  const figures = own(new LiveFigures(registry));
  const health = own(new HealthService(registry, explorer, figures));
  registerDashboardCommands(context, registry, explorer, own(new Dashboards(context, registry, figures)));
  const setHasConnections = () => void vscode.commands.executeCommand('setContext', 'cimNats.hasConnections', registry.entries().length > 0);
  own(registry.onDidChangeEntries(setHasConnections));
  setHasConnections();
  registerConnectionCommands(context, registry, algebra);
  registerExplorerCommands(context, registry, explorer, info);
  registerStreamActions(context, registry, explorer);
  registerInitStreams(context, registry, explorer, info, algebra, domains);
  const messageViews = registerMessageView(context, registry);
  registerFindCommands(context, registry, messageViews, algebra, names);
  registerConsumerActions(context, registry, info);
  registerExportImport(context, registry, explorer);
  registerBackupCommands(context, registry);
  registerObjectStoreCommands(context, registry, info);
  const kv = registerKvCommands(context, registry, explorer);

  // publishing and tails
  const tails = own(new TailManager(registry, algebra, domains));
  registerTailCommands(context, registry, tails);
  registerTraceCommands(context, registry, messageViews, algebra, tails);
  const playbooks = registerPlaybookCommands(context, registry, algebra, tails);
  registerSampleEventCommand(context, registry, algebra, domains, playbooks, explorer);
  registerSmokeCommand(context, registry, algebra, domains, info);

  const coverage = registerCoverage(context, { algebra, domains, names, registry, catalogue });
  return { registry, explorer, statusBar, tails, figures, health, logUri: context.logUri, diagnosticsIdle: () => allIdle([subjectDiagnostics, coverage.diagnostics]), webviews: webviewsTestHook(context), kv };
}
