// Subjects found in a file and their problems, in document offsets: what `cim-nats lint` prints and the editor underlines.
import type { CompiledAlgebra } from '../algebra/compiled';
import type { Problem } from '../problem';
import { validateSubject, type ValidateOptions } from '../subject/validate';
import { findSubjectLiterals } from './literals';
import { findPlaybookSubjects } from './playbookSubjects';

export type FileKind = 'nats' | 'yaml' | 'source';

export interface SubjectFinding {
  /** The subject as written in the document (start..end). */
  subject: string;
  /** A playbook subject with its {{variables}} expanded, as it was checked. */
  resolved?: string;
  start: number;
  end: number;
  pattern: boolean;
  /** `PUB`/`SUB`/`REQ` for a playbook line, `literal` for a string in source code, `playbook` for the file's own problems. */
  origin: 'PUB' | 'SUB' | 'REQ' | 'literal' | 'playbook';
  /** Problems with offsets into the whole document. */
  problems: Problem[];
}

export interface LintOptions extends Pick<ValidateOptions, 'style' | 'newUuid'> {
  /** The value of {{env}} in playbooks. */
  environment?: string;
}

export function fileKindOf(path: string): FileKind {
  const lower = path.toLowerCase();
  if (lower.endsWith('.nats')) return 'nats';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return 'source';
}

const shift = (p: Problem, by: number): Problem => ({
  ...p,
  start: p.start + by,
  end: p.end + by,
  fixes: p.fixes.map(f => ({ ...f, start: f.start + by, end: f.end + by })),
});

export function lintText(algebra: CompiledAlgebra, text: string, kind: FileKind, options: LintOptions = {}): SubjectFinding[] {
  if (kind === 'nats') return findPlaybookSubjects(algebra, text, options);
  return findSubjectLiterals(algebra, text, kind === 'yaml').map(lit => {
    let problems = validateSubject(algebra, lit.subject, { ...options, pattern: lit.pattern });
    // a literal cut at an interpolation is a prefix: what follows the cut is not missing
    if (lit.truncated) problems = problems.filter(p => p.code !== 'algebra/missing-tokens');
    return { subject: lit.subject, start: lit.start, end: lit.end, pattern: lit.pattern, origin: 'literal' as const, problems: problems.map(p => shift(p, lit.start)) };
  });
}

