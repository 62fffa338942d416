// Every command goes through here: failures are logged whole and shown as one sentence with "Show Log".
import * as vscode from 'vscode';
import { errorMessage, log } from './log';
import { COMMANDS } from './commandIds';

export const SHOW_LOG = COMMANDS.logShow;

export function registerCommand(
  context: vscode.ExtensionContext,
  id: string,
  handler: (...args: never[]) => unknown,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await (handler as (...a: unknown[]) => unknown)(...args);
      } catch (e) {
        log().error(`${id} failed:`, e instanceof Error ? (e.stack ?? e.message) : e);
        void showError(errorMessage(e));
        return undefined;
      }
    }),
  );
}

export async function showError(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Show Log');
  if (choice === 'Show Log') log().show(true);
}
