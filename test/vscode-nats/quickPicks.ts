// Answering a command's QuickPicks in-host: the extension host cannot type, but it can accept what a picker selects.
import * as vscode from 'vscode';
import { eventually } from '../support/eventually';

/**
 * Runs `command` and accepts the selected (first) item of each QuickPick or InputBox it shows, until it finishes; the
 * picks' order decides the answers (the active connection first, streams and consumers by name). Enter is pressed
 * only while one of the command's prompts is open (an accept before its items arrive selects nothing, so it is pressed
 * again), never on a timer alone.
 */
export async function acceptingFirstItems<T>(command: () => Thenable<T>, timeoutMs = 30_000): Promise<T> {
  const prompts = watchPrompts();
  try {
    let finished = false;
    const running = Promise.resolve(command()).finally(() => (finished = true));
    // its failure is the caller's, from `running` below; the wait only needs to know that it ended
    running.catch(() => undefined);
    await eventually('the command to finish, each of its prompts answered with its first item', async () => {
      if (!finished && prompts.open() > 0) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return finished;
    }, { timeoutMs, intervalMs: 50 });
    return await running;
  } finally {
    prompts.stop();
  }
}

type PromptWindow = Pick<typeof vscode.window, 'showQuickPick' | 'showInputBox' | 'createQuickPick' | 'createInputBox'>;

/** Counts the prompts open now: a showQuickPick/showInputBox until it settles, a created one from show() until hidden. */
function watchPrompts(): { open(): number; stop(): void } {
  const w = vscode.window as unknown as Record<keyof PromptWindow, (...args: unknown[]) => unknown>;
  const saved = { showQuickPick: w.showQuickPick, showInputBox: w.showInputBox, createQuickPick: w.createQuickPick, createInputBox: w.createInputBox };
  const open = new Set<object>();
  const whileOpen = (show: (...args: unknown[]) => unknown) => (...args: unknown[]) => {
    const token = {};
    open.add(token);
    return Promise.resolve(show.apply(vscode.window, args)).finally(() => open.delete(token));
  };
  const watched = (create: (...args: unknown[]) => unknown) => (...args: unknown[]) => {
    const input = create.apply(vscode.window, args) as vscode.QuickInput;
    const show = input.show.bind(input);
    input.show = () => {
      open.add(input);
      show();
    };
    const dispose = input.dispose.bind(input);
    input.dispose = () => {
      open.delete(input);
      dispose();
    };
    input.onDidHide(() => open.delete(input));
    return input;
  };
  w.showQuickPick = whileOpen(saved.showQuickPick);
  w.showInputBox = whileOpen(saved.showInputBox);
  w.createQuickPick = watched(saved.createQuickPick);
  w.createInputBox = watched(saved.createInputBox);
  return {
    open: () => open.size,
    stop: () => Object.assign(w, saved),
  };
}

/** The active tab when it is a Markdown preview (a webview whose view type names it). */
export function markdownPreviewTab(): vscode.Tab | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  return tab?.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('markdown.preview') ? tab : undefined;
}
