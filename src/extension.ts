// Wiring only: no connection and no heavy import at activation.
import * as vscode from 'vscode';
import { registerAlgebraCommands } from './vscode/algebraCommands';
import { AlgebraService } from './vscode/algebraService';
import { AlgebraTreeProvider } from './vscode/algebraTree';
import { SHOW_LOG, registerCommand } from './vscode/commands';
import { registerCoverage, registerCoverageLens } from './vscode/coverage/register';
import { DomainService } from './vscode/domainService';
import { NameRegistry } from './vscode/nameRegistry';
import { registerExplorer, type ExplorerApi } from './vscode/explorer/register';
import { registerLanguageFeatures } from './vscode/language/register';
import { log } from './vscode/log';
import { configuration, disposeConfiguration } from './vscode/platform/configuration';
import { WorkspaceFiles } from './vscode/workspaceFiles';

export function activate(context: vscode.ExtensionContext): ExplorerApi {
  context.subscriptions.push(configuration());
  const files = new WorkspaceFiles();
  const algebra = new AlgebraService(files);
  const domains = new DomainService(files);
  const names = new NameRegistry([domains]);
  const tree = new AlgebraTreeProvider(algebra);
  context.subscriptions.push(files, algebra, domains, names, tree, vscode.window.registerTreeDataProvider('cimNats.algebra', tree));
  registerCommand(context, SHOW_LOG, () => log().show(true));
  registerAlgebraCommands(context, algebra);
  registerLanguageFeatures(context, algebra, domains, names);
  registerCoverageLens(context);
  const explorer = registerExplorer(context, algebra, domains);
  registerCoverage(context, { algebra, domains, names, registry: explorer.registry, explorer: explorer.explorer });
  return explorer;
}

export function deactivate(): void {
  disposeConfiguration();
}
