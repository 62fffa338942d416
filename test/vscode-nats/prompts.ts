// Answers the prompts a command shows (QuickPicks, modal questions, save dialogs) and keeps what each said: how a test
// reads the numbers a user is asked to act on. VS Code's own window functions are put back afterwards.
import * as vscode from 'vscode';

export interface Prompt {
  kind: 'pick' | 'warning' | 'save';
  /** The QuickPick's title, the question, the dialog's title. */
  text: string;
  /** The QuickPick's labels (with their descriptions after " · "), the question's buttons. */
  items: string[];
}

export interface Answers {
  /** The label to pick (among the labels as shown), or undefined to cancel. */
  pick?: (labels: string[], title: string) => string | undefined;
  /** The button to press, or undefined to dismiss. */
  warning?: (question: string, buttons: string[]) => string | undefined;
  save?: () => vscode.Uri | undefined | Promise<vscode.Uri | undefined>;
}

type Window = Record<'showQuickPick' | 'showWarningMessage' | 'showSaveDialog', unknown>;

export async function answering<T>(answers: Answers, run: () => Thenable<T>): Promise<{ result: T; asked: Prompt[] }> {
  const w = vscode.window as unknown as Window;
  const saved: Window = { showQuickPick: w.showQuickPick, showWarningMessage: w.showWarningMessage, showSaveDialog: w.showSaveDialog };
  const asked: Prompt[] = [];
  w.showQuickPick = async (items: readonly (string | vscode.QuickPickItem)[] | Thenable<readonly (string | vscode.QuickPickItem)[]>, options?: vscode.QuickPickOptions) => {
    const list = await items;
    const labels = list.map(i => (typeof i === 'string' ? i : i.description ? `${i.label} · ${i.description}` : i.label));
    asked.push({ kind: 'pick', text: options?.title ?? '', items: labels });
    const label = answers.pick?.(labels, options?.title ?? '');
    return label === undefined ? undefined : list[labels.indexOf(label)];
  };
  w.showWarningMessage = async (question: string, ...rest: unknown[]) => {
    const buttons = rest.filter((r): r is string => typeof r === 'string');
    asked.push({ kind: 'warning', text: question, items: buttons });
    return answers.warning?.(question, buttons);
  };
  w.showSaveDialog = async (options?: vscode.SaveDialogOptions) => {
    asked.push({ kind: 'save', text: options?.title ?? '', items: [] });
    return answers.save?.();
  };
  try {
    return { result: await run(), asked };
  } finally {
    Object.assign(w, saved);
  }
}
