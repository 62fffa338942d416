// Subjects of `.nats` playbooks: each PUB/SUB/REQ line, variables expanded for the check, problems mapped back.
import type { CompiledAlgebra } from '../algebra/compiled';
import { parsePlaybook, subjectForValidation, type Builtins, type Playbook, type PlaybookBlock, type SubjectForValidation } from '../playbook';
import type { Fix, Problem } from '../problem';
import { validateSubject } from '../subject/validate';
import type { LintOptions, SubjectFinding } from './findings';

/** A fixed, valid UUID: `{{uuid}}` only needs to satisfy the UUID rule while checking. */
const CHECK_UUID = '00000000-0000-4000-8000-000000000000';

export interface PlaybookSubject {
  block: PlaybookBlock;
  /** The subject with its variables expanded; `resolved.unresolved` names the ones with no definition. */
  resolved: SubjectForValidation;
  /** A SUB takes a pattern. */
  pattern: boolean;
}

/** The subject of every block that has one, expanded as lint checks it: `{{env}}` is `environment` (default: the algebra's first). */
export function playbookSubjects(algebra: CompiledAlgebra, playbook: Playbook, environment?: string): PlaybookSubject[] {
  const builtins: Builtins = { env: environment ?? algebra.spec.environments[0] ?? 'dev', uuid: () => CHECK_UUID, now: () => new Date(0).toISOString() };
  const out: PlaybookSubject[] = [];
  for (const block of playbook.blocks) {
    if (!block.subject) continue;
    out.push({ block, resolved: subjectForValidation(block, block.variablesInScope, builtins), pattern: block.verb === 'SUB' });
  }
  return out;
}

export function findPlaybookSubjects(algebra: CompiledAlgebra, text: string, options: LintOptions): SubjectFinding[] {
  const playbook = parsePlaybook(text);
  const out: SubjectFinding[] = [];
  if (playbook.problems.length) {
    out.push({ subject: '', start: 0, end: 0, pattern: false, origin: 'playbook', problems: playbook.problems });
  }
  for (const { block, resolved, pattern } of playbookSubjects(algebra, playbook, options.environment)) {
    const { start, end } = block.subjectRange;
    const finding: SubjectFinding = { subject: text.slice(start, end), resolved: resolved.value, start, end, pattern, origin: block.verb, problems: [] };
    out.push(finding);
    // an undefined variable is already reported by the parser; its text says nothing about the algebra
    if (resolved.unresolved.length) continue;
    const problems = validateSubject(algebra, resolved.value, { pattern, style: options.style, newUuid: options.newUuid });
    finding.problems = problems.map(p => mapProblem(p, resolved));
  }
  return out;
}

function mapProblem(p: Problem, resolved: SubjectForValidation): Problem {
  // a fix is kept only where it edits literal text: a `{{var}}` is the author's to change
  const fixes: Fix[] = [];
  for (const f of p.fixes) {
    const span = resolved.literalSpan(f);
    if (span) fixes.push({ ...f, ...span });
  }
  return { ...p, ...resolved.toDocument(p), fixes };
}
