// Wiring only: no connection and no heavy import at activation.
import * as vscode from 'vscode';
import { registerAlgebraCommands } from './vscode/algebraCommands';
import { AlgebraService } from './vscode/algebraService';
import { AlgebraTreeProvider } from './vscode/algebraTree';
import { SHOW_LOG, registerCommand } from './vscode/commands';
import { log } from './vscode/log';

export function activate(context: vscode.ExtensionContext): void {
  const algebra = new AlgebraService();
  const tree = new AlgebraTreeProvider(algebra);
  context.subscriptions.push(algebra, tree, vscode.window.registerTreeDataProvider('cimNats.algebra', tree));
  registerCommand(context, SHOW_LOG, () => log().show(true));
  registerAlgebraCommands(context, algebra);
}

export function deactivate(): void {}
