// `cim-nats check`: each argument as a publish subject, or as a pattern with --pattern.
import { validateSubject, type CompiledAlgebra, type Problem } from '../core';

export interface SubjectReport {
  subject: string;
  problems: Pick<Problem, 'code' | 'severity' | 'start' | 'end' | 'message' | 'fixes'>[];
}

export function checkSubjects(algebra: CompiledAlgebra, subjects: string[], opts: { pattern: boolean; style: boolean }): SubjectReport[] {
  return subjects.map(subject => ({ subject, problems: validateSubject(algebra, subject, opts) }));
}

export function formatCheck(reports: SubjectReport[]): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    if (!r.problems.length) lines.push(`${r.subject}: ok`);
    // columns are 1-based and inclusive: `5-10` is the sixth character through the tenth
    for (const p of r.problems) lines.push(`${r.subject}:${p.end > p.start ? `${p.start + 1}-${p.end}` : p.start + 1}: ${p.severity} ${p.code} ${p.message}`);
  }
  return lines;
}
