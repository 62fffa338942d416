// A typed input with suggestions, where VS Code allows no completion in an input box: a QuickPick whose first row
// takes what was typed (or says, in one sentence, why it cannot be taken) and whose other rows complete it.
import * as vscode from 'vscode';

export interface Suggestion {
  label: string;
  description?: string;
  detail?: string;
  /** The whole input once the suggestion is taken. */
  value: string;
}

export interface SuggestInputOptions {
  title: string;
  placeholder: string;
  value?: string;
  /** What completes the input as typed so far. */
  suggest(value: string): Suggestion[];
  /** Why the input cannot be taken, in one sentence; undefined when it can. An empty input is checked too. */
  check(value: string): string | undefined;
  /** The first row's label for an input that can be taken (`$(search) Search`). */
  accept(value: string): string;
}

type Row = vscode.QuickPickItem & { take?: boolean; problem?: string; value?: string };

/** The text typed and taken, or undefined when the user cancels. */
export function suggestInput(o: SuggestInputOptions): Promise<string | undefined> {
  return new Promise(resolve => {
    const qp = vscode.window.createQuickPick<Row>();
    qp.title = o.title;
    qp.placeholder = o.placeholder;
    qp.ignoreFocusOut = true;
    // rows are chosen by what they do, not filtered by what was typed
    qp.matchOnDescription = false;
    const rows = (value: string): Row[] => {
      const problem = o.check(value);
      const first: Row = problem
        ? { label: '$(error) Cannot search yet', detail: problem, problem, alwaysShow: true }
        : { label: o.accept(value), take: true, alwaysShow: true };
      return [first, ...o.suggest(value).map(s => ({ label: s.label, description: s.description, detail: s.detail, value: s.value, alwaysShow: true }))];
    };
    // The QuickPick sorts rows by how well their labels match what was typed: the row that takes the input stays the
    // active one, so Enter takes what was typed.
    const show = (v: string) => {
      qp.items = rows(v);
      qp.activeItems = [qp.items[0]!];
    };
    qp.onDidChangeValue(show);
    let done = false;
    const finish = (v: string | undefined) => {
      if (done) return;
      done = true;
      resolve(v);
      qp.dispose();
    };
    qp.onDidAccept(() => {
      const row = qp.selectedItems[0] ?? qp.activeItems[0];
      const typed = qp.value.trim();
      // a suggestion that is what was typed already takes it
      if (row?.take || (row?.value !== undefined && row.value.trim() === typed && !o.check(typed))) finish(typed);
      else if (row?.value !== undefined) {
        qp.value = row.value;
        show(row.value);
      } else if (row?.problem) void vscode.window.showWarningMessage(row.problem);
    });
    qp.onDidHide(() => finish(undefined));
    qp.value = o.value ?? '';
    show(qp.value);
    qp.show();
  });
}
