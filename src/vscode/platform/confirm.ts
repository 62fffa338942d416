// The one question before a destructive action (purge, delete, seal): a modal with the numbers the caller read from
// the server at that moment, or, on a protected connection, the name typed.
import * as vscode from 'vscode';
import type { ConnectionEntry } from '../../nats/connection/manager';

/** Whether the user confirmed; on a protected connection only `name` typed exactly confirms. */
export async function confirmDestructive(entry: ConnectionEntry, question: string, button: string, name: string): Promise<boolean> {
  if (entry.config.protected) {
    const typed = await vscode.window.showInputBox({
      title: question,
      prompt: `${entry.config.name} is protected: type ${name} to confirm.`,
      ignoreFocusOut: true,
      validateInput: v => (v === name || v === '' ? undefined : `Type ${name} exactly.`),
    });
    return typed === name;
  }
  return (await vscode.window.showWarningMessage(question, { modal: true }, button)) === button;
}
