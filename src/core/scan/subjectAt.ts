// Where a subject is being written at the cursor: a playbook verb line or a string literal in source code.
import { YAML_SCALAR_LEAD } from '../text/patterns';
import type { FileKind } from './lint';

export interface SubjectContext {
  /** Offset of the subject's first character in the document. */
  start: number;
  /** Offset just past the subject (the closing quote, whitespace or end of line). */
  end: number;
  /** The subject text, start..end. */
  text: string;
  /** `SUB` lines take patterns; literals holding wildcards are patterns too. */
  pattern: boolean;
  origin: 'PUB' | 'SUB' | 'REQ' | 'literal';
}

const VERB_LINE = /^([ \t]*)(PUB|SUB|REQ)([ \t]+)(\S*)/;
const QUOTES = '"\'`';
const YAML_PLAIN = new RegExp(`(${YAML_SCALAR_LEAD})([^\\s#,\\]}'"]*)`);

function lineBounds(text: string, offset: number): [number, number] {
  const s = offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
  let e = text.indexOf('\n', offset);
  if (e < 0) e = text.length;
  if (e > s && text.charCodeAt(e - 1) === 13) e--;
  return [s, e];
}

export function subjectContextAt(text: string, offset: number, kind: FileKind): SubjectContext | undefined {
  const [ls, le] = lineBounds(text, offset);
  const line = text.slice(ls, le);
  const col = offset - ls;
  if (kind === 'nats') {
    const m = VERB_LINE.exec(line);
    if (!m) return undefined;
    const start = m[1]!.length + m[2]!.length + m[3]!.length;
    const end = start + m[4]!.length;
    if (col < start || col > end) return undefined;
    return { start: ls + start, end: ls + end, text: m[4]!, pattern: m[2] === 'SUB', origin: m[2] as 'PUB' | 'SUB' | 'REQ' };
  }
  const open = literalAround(line, col);
  if (open !== undefined) {
    let close = line.indexOf(line[open]!, col);
    if (close < 0) close = line.length;
    return literal(ls + open + 1, line.slice(open + 1, close));
  }
  if (kind === 'yaml') {
    const m = YAML_PLAIN.exec(line);
    if (m && col >= m[1]!.length && col <= m[0].length) return literal(ls + m[1]!.length, m[2]!);
  }
  return undefined;
}

/** The offset of the quote opening the string literal that holds column `col`, reading the line from its start. */
function literalAround(line: string, col: number): number | undefined {
  let open: number | undefined;
  for (let i = 0; i < col; i++) {
    const c = line[i]!;
    if (open === undefined) {
      if (QUOTES.includes(c)) open = i;
    } else if (c === '\\') i++;
    else if (c === line[open]) open = undefined;
  }
  return open;
}

function literal(start: number, body: string): SubjectContext | undefined {
  const cut = body.search(/\$\{|[{%\s]/);
  const subject = cut < 0 ? body : body.slice(0, cut);
  return { start, end: start + subject.length, text: subject, pattern: /(^|\.)[*>](\.|$)/.test(subject), origin: 'literal' };
}
