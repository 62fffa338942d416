// Activation: wiring only (src/vscode/wiring.ts); no connection and no heavy import.
import type * as vscode from 'vscode';
import { disposeConfiguration } from './vscode/platform/configuration';
import { wire, type ExtensionApi } from './vscode/wiring';

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  return wire(context);
}

export function deactivate(): void {
  disposeConfiguration();
}
