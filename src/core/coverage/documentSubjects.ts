// The subjects of one open document as coverage checks them, with their offsets: what scanSources reads from a file
// (the same literal scanner and playbook parser), plus where each is written. Pure (no vscode).
import type { CompiledAlgebra } from '../algebra/compiled';
import { assessCoverage, type CoverageAssessment, type CoverageIndex, type CoverageKind } from './';
import { parsePlaybook } from '../playbook/parser';
import type { FileKind } from '../scan/findings';
import { findSubjectLiterals } from '../scan/literals';
import { playbookSubjects } from '../scan/playbookSubjects';
import { consumerFilterContext } from './filterContext';

export interface DocumentSubject {
  /** As published or subscribed: a playbook subject with its variables expanded, a cut literal without its cut. */
  subject: string;
  /** Offsets of the text as written. */
  start: number;
  end: number;
  kind: CoverageKind;
  /** A literal cut at an interpolation or ending in a dot: the start of a subject. */
  prefix?: boolean;
  /** consumer-filter: the stream the text names for the consumer. */
  stream?: string;
}

export function documentSubjects(algebra: CompiledAlgebra, text: string, kind: FileKind, environment?: string): DocumentSubject[] {
  const out: DocumentSubject[] = [];
  if (kind === 'nats') {
    for (const { block, resolved, pattern } of playbookSubjects(algebra, parsePlaybook(text), environment)) {
      // an undefined variable leaves the subject unknown: lint reports it, coverage cannot say where it goes
      if (resolved.unresolved.length) continue;
      out.push({ subject: resolved.value, start: block.subjectRange.start, end: block.subjectRange.end, kind: pattern ? 'pattern' : 'publish' });
    }
    return out;
  }
  for (const lit of findSubjectLiterals(algebra, text, kind === 'yaml')) {
    const filter = consumerFilterContext(text, lit.start);
    const s: DocumentSubject = { subject: lit.subject, start: lit.start, end: lit.end, kind: filter ? 'consumer-filter' : lit.pattern ? 'pattern' : 'publish' };
    if (filter?.stream) s.stream = filter.stream;
    if (lit.truncated && !lit.pattern && !filter) s.prefix = true;
    out.push(s);
  }
  return out;
}

/**
 * A document subject against a layout: a consumer filter against the subjects of the stream the text names (when the
 * layout has it, else against any one stream), a cut literal as the start it is.
 */
export function assessSubject(algebra: CompiledAlgebra, index: CoverageIndex, s: DocumentSubject): CoverageAssessment {
  if (s.kind === 'consumer-filter') {
    const stream = s.stream !== undefined ? index.streams.find(x => x.name === s.stream) : undefined;
    return assessCoverage(algebra, index, s.subject, { kind: 'consumer-filter', ...(stream ? { streamSubjects: stream.subjects } : {}) });
  }
  return assessCoverage(algebra, index, s.subject, s.prefix ? { kind: s.kind, prefix: true } : { kind: s.kind });
}
