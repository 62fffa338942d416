// `cim-nats lint`: subjects in files and folders, reported as file:line:col.
import { readFileSync } from 'node:fs';
import { fileKindOf, lineAt, lineStarts, lintText, type CompiledAlgebra, type Problem, type SubjectFinding } from '../core';
import { collectFiles } from './walk';

export interface FileReport {
  file: string;
  text: string;
  findings: SubjectFinding[];
}


export function lintPaths(algebra: CompiledAlgebra, paths: string[], opts: { style: boolean; warn: (l: string) => void }): FileReport[] {
  const files = collectFiles(paths, opts.warn);
  const reports: FileReport[] = [];
  for (const file of files) {
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch (e) {
      opts.warn(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}), skipped`);
      continue;
    }
    // binary files hold NUL bytes; they have no subjects to check
    if (buf.subarray(0, 8000).includes(0)) {
      opts.warn(`${file}: binary file, skipped`);
      continue;
    }
    const text = buf.toString('utf8');
    reports.push({ file, text, findings: lintText(algebra, text, fileKindOf(file), { style: opts.style }) });
  }
  return reports;
}

/** 1-based line and column of an offset. */
export function position(starts: number[], offset: number): { line: number; col: number } {
  const line = lineAt(starts, offset);
  return { line: line + 1, col: offset - starts[line]! + 1 };
}

export function formatLint(reports: FileReport[]): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    const starts = lineStarts(r.text);
    const problems = r.findings.flatMap(f => f.problems).sort((a, b) => a.start - b.start);
    for (const p of problems) {
      const { line, col } = position(starts, p.start);
      lines.push(`${r.file}:${line}:${col}: ${p.severity} ${p.code} ${p.message}`);
    }
  }
  return lines;
}

const relative = (p: Problem, at: number) => ({
  code: p.code, severity: p.severity, start: p.start - at, end: p.end - at, message: p.message,
  fixes: p.fixes.map(x => ({ ...x, start: x.start - at, end: x.end - at })),
});

/** The JSON entries: one per subject, offsets relative to the subject as written; a playbook's own problems one each. */
export function lintJson(reports: FileReport[]) {
  return reports.flatMap(r => {
    const starts = lineStarts(r.text);
    return r.findings
      .flatMap(f => (f.origin === 'playbook' ? f.problems.map(p => ({ subject: r.text.slice(p.start, p.end), start: p.start, problems: [p] })) : [{ ...f }]))
      .sort((a, b) => a.start - b.start)
      .map(f => ({ file: r.file, ...position(starts, f.start), subject: f.subject, problems: f.problems.map(p => relative(p, f.start)) }));
  });
}
