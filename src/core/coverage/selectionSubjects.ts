// The subjects a person points at with selections: each line's subject, or the literal under each cursor or selection.
// Pure (no vscode), so the editor's commands and the unit tests share it.
import type { CompiledAlgebra } from '../algebra/compiled';
import { isValidPattern } from '../pattern/tokens';
import { parsePlaybook } from '../playbook/parser';
import type { FileKind } from '../scan/findings';
import { findSubjectLiterals } from '../scan/literals';
import { playbookSubjects } from '../scan/playbookSubjects';
import { subjectContextAt } from '../scan/subjectAt';
import { lineAt, lineStarts } from '../text/lines';

/** A selection in document offsets; start === end is a cursor. */
export interface OffsetSelection {
  start: number;
  end: number;
}

export interface SelectionOptions {
  /** `{{env}}` in playbooks (default: the algebra's first environment). */
  environment?: string;
}

/**
 * The subjects the selections point at, in selection order, each once. A cursor gives the subject under it (or its
 * line's); a selection within one line gives the selected text when it is a pattern, else the subjects in it; a
 * selection over several lines gives every line's subjects. A playbook line gives its subject with variables expanded;
 * a literal cut at an interpolation (`…shipped.${id}`) stands for the subjects starting with it (`…shipped.>`).
 */
export function subjectsInSelections(algebra: CompiledAlgebra, text: string, kind: FileKind, selections: readonly OffsetSelection[], options: SelectionOptions = {}): string[] {
  const starts = lineStarts(text);
  const lineEnd = (line: number) => {
    let end = line + 1 < starts.length ? starts[line + 1]! : text.length;
    while (end > starts[line]! && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
    return end;
  };
  const playbook = kind === 'nats' ? playbookLines(algebra, text, starts, options.environment) : undefined;
  const onLine = (line: number): string[] => {
    if (playbook) return playbook.has(line) ? [playbook.get(line)!] : [];
    return subjectsIn(algebra, text.slice(starts[line]!, lineEnd(line)), kind);
  };
  const out: string[] = [];
  const add = (list: readonly string[]) => {
    for (const s of list) if (!out.includes(s)) out.push(s);
  };
  for (const sel of selections) {
    const start = Math.min(sel.start, sel.end);
    const end = Math.max(sel.start, sel.end);
    const first = lineAt(starts, start);
    // a selection ending at the start of a line (whole lines selected) does not take that line
    let last = lineAt(starts, end);
    if (last > first && starts[last] === end) last--;
    if (start === end) {
      add(atCursor(algebra, text, start, kind, playbook?.get(first)) ?? onLine(first));
    } else if (first === last) {
      const selected = bare(text.slice(start, end));
      if (looksLikeSubject(selected)) add([playbook?.has(first) && text.slice(start, end).includes('{{') ? playbook.get(first)! : selected]);
      else add(playbook ? onLine(first) : subjectsIn(algebra, text.slice(start, end), kind));
    } else {
      for (let line = first; line <= last; line++) add(onLine(line));
    }
  }
  return out;
}

/** Every subject on one line of text, outside or inside quotes. */
function subjectsIn(algebra: CompiledAlgebra, line: string, kind: FileKind): string[] {
  const literals = findSubjectLiterals(algebra, line, kind === 'yaml').map(l => (l.truncated && !l.pattern ? `${l.subject}.>` : l.subject));
  if (literals.length) return literals;
  // a bare subject on its own line (a list in a note, a YAML value the scanner does not take)
  const plain = bare(line.replace(/^\s*(?:-\s+)?(?:[\w-]+\s*:\s*)?/, '').replace(/[,;]\s*$/, ''));
  return looksLikeSubject(plain) ? [plain] : [];
}

function atCursor(algebra: CompiledAlgebra, text: string, offset: number, kind: FileKind, playbookSubject: string | undefined): string[] | undefined {
  const ctx = subjectContextAt(text, offset, kind);
  if (!ctx) return undefined;
  if (ctx.origin !== 'literal') return playbookSubject !== undefined ? [playbookSubject] : undefined;
  const inner = subjectsIn(algebra, JSON.stringify(ctx.text), kind);
  return inner.length ? inner : looksLikeSubject(ctx.text) ? [ctx.text] : undefined;
}

/** 0-based line → the playbook block's subject on it, variables expanded (as written when one has no value). */
function playbookLines(algebra: CompiledAlgebra, text: string, starts: readonly number[], environment: string | undefined): Map<number, string> {
  const out = new Map<number, string>();
  for (const { block, resolved } of playbookSubjects(algebra, parsePlaybook(text), environment)) {
    out.set(lineAt(starts, block.subjectRange.start), resolved.unresolved.length ? block.subject : resolved.value);
  }
  return out;
}

function bare(s: string): string {
  return s.trim().replace(/^["'`]+|["'`]+$/g, '').trim();
}

/** A pattern of two or more tokens: a lone word is not worth generalizing. */
function looksLikeSubject(s: string): boolean {
  return s.includes('.') && isValidPattern(s);
}
