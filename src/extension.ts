// Wiring only: no connection and no heavy import at activation.
import * as vscode from 'vscode';
import { allIdle } from './core/pending';
import { registerAlgebraCommands } from './vscode/algebraCommands';
import { AlgebraService } from './vscode/algebraService';
import { AlgebraTreeProvider } from './vscode/algebraTree';
import { SHOW_LOG, registerCommand } from './vscode/platform/commands';
import { registerCoverage, registerCoverageLens } from './vscode/coverage/register';
import { DomainService } from './vscode/domainService';
import { NameRegistry } from './vscode/nameRegistry';
import { registerExplorer, type ExplorerApi } from './vscode/explorer/register';
import { registerLanguageFeatures } from './vscode/language/register';
import { log } from './vscode/platform/log';
import { configuration, disposeConfiguration } from './vscode/platform/configuration';
import { WorkspaceFiles } from './vscode/workspaceFiles';

/** In-host tests also get `diagnosticsIdle`: resolves when no subject or coverage diagnostics update is scheduled or running. */
export function activate(context: vscode.ExtensionContext): ExplorerApi & { diagnosticsIdle(): Promise<void> } {
  context.subscriptions.push(configuration());
  const files = new WorkspaceFiles();
  const algebra = new AlgebraService(files);
  const domains = new DomainService(files);
  const names = new NameRegistry([domains]);
  const tree = new AlgebraTreeProvider(algebra);
  context.subscriptions.push(files, algebra, domains, names, tree, vscode.window.registerTreeDataProvider('cimNats.algebra', tree));
  registerCommand(context, SHOW_LOG, () => log().show(true));
  registerAlgebraCommands(context, algebra);
  const subjectDiagnostics = registerLanguageFeatures(context, algebra, domains, names);
  registerCoverageLens(context);
  const explorer = registerExplorer(context, algebra, domains);
  const coverage = registerCoverage(context, { algebra, domains, names, registry: explorer.registry, explorer: explorer.explorer });
  return { ...explorer, diagnosticsIdle: () => allIdle([subjectDiagnostics, coverage.diagnostics]) };
}

export function deactivate(): void {
  disposeConfiguration();
}
