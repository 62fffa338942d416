// A second hover on subjects (VS Code shows it under the algebra's): which streams store it, from the connected server
// or the algebra's layout, and for a pattern how many messages of each stream it matches.
import * as vscode from 'vscode';
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import type { DomainDefinition } from '../../core/domain/model';
import { domainTokens } from '../../core/domain/lookup';
import { overlap } from '../../core/pattern/lattice';
import type { DomainService } from '../domainService';
import type { CoverageDocuments } from './coverageDocuments';
import type { CoverageService, CoverageView } from './coverageService';
import { coverageHoverMarkdown, patternCount, type CountState } from '../../core/coverage/coverageText';
import { assessSubject } from '../../core/coverage/documentSubjects';

/** How long a hover waits for a count; a slower one shows "counting…" and lands in the cache for the next hover. */
const HOVER_WAIT_MS = 1_500;

export class CoverageHoverProvider implements vscode.HoverProvider {
  constructor(private readonly docs: CoverageDocuments, private readonly service: CoverageService, private readonly domains: DomainService) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (!this.docs.covers(doc)) return undefined;
    const offset = doc.offsetAt(position);
    const s = (await this.docs.subjects(doc)).find(x => offset >= x.start && offset <= x.end);
    if (!s) return undefined;
    const view = await this.service.view(doc.uri);
    if (!view || token.isCancellationRequested) return undefined;
    const { capture, problems, renamed } = assessSubject(view.algebra, view.index, s);
    const checked = renamed ?? s.subject;
    const asked = s.prefix ? `${checked}.>` : checked;
    const definitions = await this.domains.all();
    let counts: Map<string, CountState> | undefined;
    if (capture.pattern && view.server) counts = await this.counts(view, capture.streams.map(c => c.stream.name), asked, token);
    const declaredTypes = capture.pattern && !counts?.size ? coveredDeclaredTypes(view.algebra, asked, definitions) : undefined;
    const md = new vscode.MarkdownString(coverageHoverMarkdown({ subject: s.subject, prefix: !!s.prefix, capture, problems, ...(renamed !== undefined ? { renamed } : {}), source: view.source, ...(counts ? { counts } : {}), ...(declaredTypes ? { declaredTypes } : {}) }));
    return new vscode.Hover(md, new vscode.Range(doc.positionAt(s.start), doc.positionAt(s.end)));
  }

  private async counts(view: CoverageView, names: string[], pattern: string, token: vscode.CancellationToken): Promise<Map<string, CountState>> {
    const out = new Map<string, CountState>();
    const entries = names.flatMap(name => {
      const stream = view.server!.streams.find(x => x.name === name);
      const entry = stream && this.service.countsFor(view, stream);
      return entry ? [{ name, entry }] : [];
    });
    if (entries.length === 0) return out;
    const cancelled = new Promise<void>(resolve => token.onCancellationRequested(() => resolve()));
    await Promise.race([Promise.all(entries.map(e => e.entry.promise)), new Promise(r => setTimeout(r, HOVER_WAIT_MS)), cancelled]);
    for (const { name, entry } of entries) {
      if (entry.result) out.set(name, { state: 'done', count: patternCount(entry.result, entry.layout.prefix, pattern) });
      else if (entry.error !== undefined) out.set(name, { state: 'failed', reason: entry.error });
      else out.set(name, { state: 'pending' });
    }
    return out;
  }
}

/** `aggregate.event` of every event the definitions declare whose subjects the pattern matches some of. */
function coveredDeclaredTypes(algebra: CompiledAlgebra, pattern: string, definitions: readonly DomainDefinition[]): string[] {
  const category = algebra.spec.categories.find(c => c.envelope === 'domain-event');
  if (!category) return [];
  const roles = [...algebra.spec.prefix.map(t => t.role), '', ...category.tokens.map(t => t.role)];
  const out = new Set<string>();
  for (const def of definitions) {
    for (const domain of domainTokens(def)) {
      for (const e of def.events) {
        const values: Record<string, string> = { domain, aggregate: e.aggregateToken, event: e.eventToken };
        const subject = roles.map((r, i) => (i === algebra.categoryIndex ? category.name : (values[r] ?? '*'))).join('.');
        if (overlap(subject, pattern)) out.add(`${e.aggregateToken}.${e.eventToken}`);
      }
    }
  }
  return [...out];
}
