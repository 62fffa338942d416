// Generalize Subjects (⊔ of the selected subjects) and Do These Subjects Overlap? (⊓ of two patterns), from selections.
import * as vscode from 'vscode';
import { doTheyOverlap, generalize, type OverlapAnswer } from '../../core/coverage';
import { isValidPattern } from '../../core/pattern/tokens';
import type { AlgebraService } from '../algebraService';
import { fileKindOfDocument } from '../language/subjectModel';
import { settingsFor } from '../platform/configuration';
import { subjectsInSelections } from '../../core/coverage/selectionSubjects';
import { COMMANDS } from '../platform/commandIds';

export const GENERALIZE = COMMANDS.coverageGeneralize;
export const OVERLAP = COMMANDS.coverageOverlap;

/** Scripted use (and tests): the subjects to use instead of the selections', and no message to wait on. */
export interface LatticeArgs {
  subjects?: string[];
}

export interface GeneralizeResult {
  pattern: string;
  subjects: string[];
}

async function selectedSubjects(algebra: AlgebraService): Promise<string[]> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return [];
  const doc = editor.document;
  const { algebra: a } = await algebra.algebraFor(doc.uri);
  const selections = editor.selections.map(s => ({ start: doc.offsetAt(s.start), end: doc.offsetAt(s.end) }));
  return subjectsInSelections(a, doc.getText(), fileKindOfDocument(doc), selections, { environment: settingsFor(doc)['playbook.defaultEnvironment'] });
}

export async function generalizeCommand(algebra: AlgebraService, args?: LatticeArgs): Promise<GeneralizeResult> {
  const subjects = args?.subjects ?? (await selectedSubjects(algebra));
  if (subjects.length < 2) {
    throw new Error(subjects.length === 0
      ? 'No subject is selected: select several lines, put a cursor on each subject, or select a span of lines, then run Generalize Subjects again.'
      : `Only one subject is selected (${subjects[0]}): select at least two lines or subjects to generalize.`);
  }
  const pattern = generalize(subjects);
  const editor = vscode.window.activeTextEditor;
  void vscode.window.showInformationMessage(`${pattern} is the most specific pattern that matches all ${subjects.length} subjects (their join ⊔).`, 'Copy', 'Insert as SUB block').then(async choice => {
    if (choice === 'Copy') await vscode.env.clipboard.writeText(pattern);
    if (choice === 'Insert as SUB block') await insertSubBlock(editor, pattern, subjects.length);
  });
  return { pattern, subjects };
}

/** After the last selected line of a playbook, or in a new playbook when the editor holds another language. */
async function insertSubBlock(editor: vscode.TextEditor | undefined, pattern: string, count: number): Promise<void> {
  const block = `### Every subject of the ${count} selected\nSUB ${pattern}\n`;
  if (editor && !editor.document.isClosed && editor.document.languageId === 'nats') {
    const last = editor.selections.reduce((l, s) => Math.max(l, s.end.line), 0);
    const at = editor.document.lineAt(last).range.end;
    await editor.edit(e => e.insert(at, `\n\n${block}`));
    return;
  }
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'nats', content: block }));
}

export async function overlapCommand(algebra: AlgebraService, args?: LatticeArgs): Promise<OverlapAnswer & { patterns: [string, string] } | undefined> {
  const found = args?.subjects ?? (await selectedSubjects(algebra));
  const first = found[0] ?? (await askPattern('First subject or pattern', undefined));
  if (first === undefined) return undefined;
  const second = found[1] ?? (await askPattern('Second subject or pattern', first));
  if (second === undefined) return undefined;
  const answer = doTheyOverlap(first, second);
  const text = answer.meet !== null ? `${first} ⊓ ${second} = ${answer.meet}. ${answer.sentence}` : `They never overlap: ${answer.sentence}`;
  void (answer.meet !== null
    ? vscode.window.showInformationMessage(text, 'Copy').then(async choice => {
      if (choice === 'Copy') await vscode.env.clipboard.writeText(answer.meet!);
    })
    : vscode.window.showInformationMessage(text));
  return { ...answer, patterns: [first, second] };
}

async function askPattern(title: string, other: string | undefined): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: `Do These Subjects Overlap? ${title}`,
    prompt: other ? `Compared with ${other}` : 'A subject or a pattern, e.g. dev.domain.sales.>',
    ignoreFocusOut: true,
    validateInput: v => (isValidPattern(v.trim()) ? undefined : 'Not a subject or pattern: tokens separated by dots, * for one token, > for the rest (e.g. dev.domain.sales.*.created.*).'),
  });
  return value?.trim();
}
