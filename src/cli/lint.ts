// `cim-nats lint`: subjects in files and folders, reported as file:line:col.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileKindOf, lineAt, lineStarts, lintText, type CompiledAlgebra, type SubjectFinding } from '../core';
import { UsageError } from './usage';

const SKIP_DIRS = new Set(['node_modules', '.git', 'out', 'dist', '.vscode-test', 'target', 'vendor', '__pycache__', '.venv']);
const TEXT_EXT = /\.(nats|ts|tsx|js|jsx|mjs|cjs|py|go|rs|java|cs|kt|yaml|yml|json|jsonc|toml|rb|ex|exs|php|swift|scala|md)$/i;
const MAX_FILE = 8 * 1024 * 1024;

export interface FileReport {
  file: string;
  text: string;
  findings: SubjectFinding[];
}

function collect(path: string, out: string[], explicit: boolean): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`no such file or folder: ${path}`);
  }
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (SKIP_DIRS.has(name)) continue;
      collect(join(path, name), out, false);
    }
  } else if (explicit || (TEXT_EXT.test(path) && st.size <= MAX_FILE)) {
    out.push(path);
  }
}

export function lintPaths(algebra: CompiledAlgebra, paths: string[], opts: { style: boolean; warn: (l: string) => void }): FileReport[] {
  const files: string[] = [];
  for (const p of paths) collect(p, files, true);
  const reports: FileReport[] = [];
  for (const file of files) {
    const buf = readFileSync(file);
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
    for (const f of r.findings) {
      for (const p of f.problems) {
        const { line, col } = position(starts, p.start);
        lines.push(`${r.file}:${line}:${col}: ${p.severity} ${p.code} ${p.message}`);
      }
    }
  }
  return lines;
}

/** The JSON entries: one per subject, offsets relative to the subject. */
export function lintJson(reports: FileReport[]) {
  return reports.flatMap(r => {
    const starts = lineStarts(r.text);
    return r.findings.map(f => ({
      file: r.file,
      ...position(starts, f.start),
      subject: f.subject,
      problems: f.problems.map(p => ({ code: p.code, severity: p.severity, start: p.start - f.start, end: p.end - f.start, message: p.message, fixes: p.fixes.map(x => ({ ...x, start: x.start - f.start, end: x.end - f.start })) })),
    }));
  });
}
