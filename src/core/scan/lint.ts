// Subjects found in a file and their problems, in document offsets: what `cim-nats lint` prints and the editor underlines.
import type { CompiledAlgebra } from '../algebra/compiled';
import type { Problem } from '../problem';
import { validateSubject } from '../subject/validate';
import type { FileKind, LintOptions, SubjectFinding } from './findings';
import { findSubjectLiterals } from './literals';
import { findPlaybookSubjects } from './playbookSubjects';

export { fileKindOf, type FileKind, type LintOptions, type SubjectFinding } from './findings';

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

