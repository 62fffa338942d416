// Wiring only: no connection and no heavy import at activation.
import * as vscode from 'vscode';
import { registerAlgebraCommands } from './vscode/algebraCommands';
import { AlgebraService } from './vscode/algebraService';
import { AlgebraTreeProvider } from './vscode/algebraTree';
import { SHOW_LOG, registerCommand } from './vscode/commands';
import { DomainService, NameRegistry } from './vscode/domainService';
import { registerLanguageFeatures } from './vscode/language/register';
import { log } from './vscode/log';

export function activate(context: vscode.ExtensionContext): void {
  const algebra = new AlgebraService();
  const domains = new DomainService();
  const names = new NameRegistry([domains]);
  const tree = new AlgebraTreeProvider(algebra);
  context.subscriptions.push(algebra, domains, names, tree, vscode.window.registerTreeDataProvider('cimNats.algebra', tree));
  registerCommand(context, SHOW_LOG, () => log().show(true));
  registerAlgebraCommands(context, algebra);
  registerLanguageFeatures(context, algebra, domains, names);
}

export function deactivate(): void {}
