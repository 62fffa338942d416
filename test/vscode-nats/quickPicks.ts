// Answering a command's QuickPicks in-host: the extension host cannot type, but it can accept what a picker selects.
import * as vscode from 'vscode';

/**
 * Accepts the selected (first) item of each QuickPick or InputBox the command shows, until it finishes; the picks'
 * order decides the answers (the active connection first, streams and consumers by name).
 */
export async function acceptingFirstItems<T>(running: Thenable<T>, tries = 300): Promise<T> {
  let finished = false;
  const pending = Promise.resolve(running).finally(() => (finished = true));
  for (let i = 0; i < tries && !finished; i++) {
    await new Promise(r => setTimeout(r, 100));
    if (!finished) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return pending;
}

/** The active tab when it is a Markdown preview (a webview whose view type names it). */
export function markdownPreviewTab(): vscode.Tab | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  return tab?.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('markdown.preview') ? tab : undefined;
}
