// Quick fixes: every problem that carries a fix becomes a code action.
import * as vscode from 'vscode';
import type { SubjectModel } from './subjectModel';

export class SubjectCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly model: SubjectModel) {}

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter(d => d.source === 'cim-nats');
    if (!ours.length) return [];
    // diagnostics reach us as copies, so their fixes are found again by code and place in the document's problems
    const problems = (await this.model.findings(doc)).flatMap(f => f.problems);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const start = doc.offsetAt(diagnostic.range.start);
      const end = doc.offsetAt(diagnostic.range.end);
      const problem = problems.find(p => p.code === diagnostic.code && p.start === start && p.end === end);
      (problem?.fixes ?? []).forEach((fix, i) => {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, new vscode.Range(doc.positionAt(fix.start), doc.positionAt(fix.end)), fix.newText);
        action.diagnostics = [diagnostic];
        action.isPreferred = i === 0;
        actions.push(action);
      });
    }
    return actions;
  }
}
