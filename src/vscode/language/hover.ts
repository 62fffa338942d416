// Hover on a subject token: role, rule, the category's pattern, the stream, the domain's event.
import * as vscode from 'vscode';
import { subjectContextAt, subjectHover } from '../../core';
import type { AlgebraService } from '../algebraService';
import type { DomainService } from '../domainService';
import { fileKindOfDocument } from './subjectModel';

export class SubjectHoverProvider implements vscode.HoverProvider {
  constructor(private readonly algebra: AlgebraService, private readonly domains: DomainService) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const lineStart = doc.offsetAt(new vscode.Position(position.line, 0));
    const ctx = subjectContextAt(doc.lineAt(position.line).text, position.character, fileKindOfDocument(doc));
    if (!ctx || !ctx.text) return undefined;
    const { algebra } = await this.algebra.algebraFor(doc.uri);
    if (ctx.origin === 'literal' && !algebra.environments.has(ctx.text.split('.')[0] ?? '') && algebra.environments.size) return undefined;
    const md = subjectHover(algebra, ctx.text, position.character - ctx.start, await this.domains.all());
    if (!md) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(md), new vscode.Range(doc.positionAt(lineStart + ctx.start), doc.positionAt(lineStart + ctx.end)));
  }
}
