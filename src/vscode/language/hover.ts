// Hover on a subject token: role, rule, the category's pattern, the stream, the domain's event.
import * as vscode from 'vscode';
import { subjectHover, type SubjectFinding } from '../../core';
import type { AlgebraService } from '../algebraService';
import type { DomainService } from '../domainService';
import type { SubjectModel } from './subjectModel';

export class SubjectHoverProvider implements vscode.HoverProvider {
  constructor(private readonly algebra: AlgebraService, private readonly domains: DomainService, private readonly model: SubjectModel) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const offset = doc.offsetAt(position);
    // exactly the subjects the linter reports: one scanner for diagnostics and hover
    const finding = (await this.model.findings(doc)).find(f => f.origin !== 'playbook' && offset >= f.start && offset <= f.end);
    if (!finding?.subject) return undefined;
    const { algebra } = await this.algebra.algebraFor(doc.uri);
    const { subject, at } = checkedText(finding, offset - finding.start);
    const md = subjectHover(algebra, subject, at, await this.domains.all());
    if (!md) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(md), new vscode.Range(doc.positionAt(finding.start), doc.positionAt(finding.end)));
  }
}

/** A playbook subject is explained as it is sent ({{domain}} as sales), at the same token as the cursor. */
function checkedText(f: SubjectFinding, at: number): { subject: string; at: number } {
  const resolved = f.resolved;
  if (!resolved || resolved === f.subject) return { subject: f.subject, at };
  const index = f.subject.slice(0, at).split('.').length - 1;
  const tokens = resolved.split('.');
  if (tokens.length !== f.subject.split('.').length) return { subject: f.subject, at };
  return { subject: resolved, at: tokens.slice(0, index).join('.').length + (index > 0 ? 1 : 0) };
}
