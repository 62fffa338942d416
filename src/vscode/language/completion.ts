// Completion per token position inside a subject: in playbook verb lines and in string literals.
import * as vscode from 'vscode';
import { completeSubject, looksLikeSubjectStart, subjectContextAt, type CompletionKind } from '../../core';
import type { AlgebraService } from '../algebraService';
import type { NameRegistry } from '../nameRegistry';
import { settingsFor } from '../platform/configuration';
import { fileKindOfDocument } from './subjectModel';

const KIND: Record<CompletionKind, vscode.CompletionItemKind> = {
  environment: vscode.CompletionItemKind.Module,
  category: vscode.CompletionItemKind.Class,
  name: vscode.CompletionItemKind.Field,
  wildcard: vscode.CompletionItemKind.Operator,
  uuid: vscode.CompletionItemKind.Value,
  value: vscode.CompletionItemKind.EnumMember,
};

export class SubjectCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly algebra: AlgebraService, private readonly names: NameRegistry) {}

  async provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position, _t: vscode.CancellationToken, context: vscode.CompletionContext): Promise<vscode.CompletionItem[] | undefined> {
    const offset = doc.offsetAt(position);
    const ctx = subjectContextAt(doc.getText(new vscode.Range(position.line, 0, position.line + 1, 0)), offset - doc.offsetAt(new vscode.Position(position.line, 0)), fileKindOfDocument(doc));
    if (!ctx) return undefined;
    const { algebra } = await this.algebra.algebraFor(doc.uri);
    const lineStart = doc.offsetAt(new vscode.Position(position.line, 0));
    const typed = ctx.text.slice(0, offset - lineStart - ctx.start);
    // in source code only strings that already look like a subject get completion, unless asked for
    if (ctx.origin === 'literal' && context.triggerKind !== vscode.CompletionTriggerKind.Invoke && !looksLikeSubjectStart(algebra, typed)) return undefined;
    const settings = settingsFor(doc);
    const result = completeSubject(algebra, typed, typed.length, { pattern: ctx.pattern, names: await this.names.current(), defaultEnvironment: settings['playbook.defaultEnvironment'] });
    const tokenEnd = ctx.text.indexOf('.', result.start);
    const range = new vscode.Range(doc.positionAt(lineStart + ctx.start + result.start), doc.positionAt(lineStart + ctx.start + (tokenEnd < 0 ? ctx.text.length : tokenEnd)));
    return result.items.map(c => {
      const item = new vscode.CompletionItem({ label: c.label, description: c.detail }, KIND[c.kind]);
      item.insertText = c.insertText;
      item.range = range;
      if (c.sortText) item.sortText = c.sortText;
      if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
      // "." accepts the token and, being a trigger character, opens the next token's list
      item.commitCharacters = ['.'];
      return item;
    });
  }
}
