// Where a subject is being written at the cursor: a playbook verb line or a string literal in source code.
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
  // the opening quote is the last quote before the cursor with an even number of that quote before it
  for (let i = col - 1; i >= 0; i--) {
    const q = line[i]!;
    if (!QUOTES.includes(q)) continue;
    let before = 0;
    for (let k = 0; k < i; k++) if (line[k] === q && line[k - 1] !== '\\') before++;
    if (before % 2 !== 0) return undefined;
    let close = line.indexOf(q, col);
    if (close < 0) close = line.length;
    const body = line.slice(i + 1, close);
    return literal(ls + i + 1, body);
  }
  if (kind === 'yaml') {
    const m = /^([ \t]*(?:-[ \t]+|[\w.-]+:[ \t]+))([^\s#,\]}'"]*)/.exec(line);
    if (m && col >= m[1]!.length && col <= m[0].length) return literal(ls + m[1]!.length, m[2]!);
  }
  return undefined;
}

function literal(start: number, body: string): SubjectContext | undefined {
  const cut = body.search(/\$\{|[{%\s]/);
  const subject = cut < 0 ? body : body.slice(0, cut);
  return { start, end: start + subject.length, text: subject, pattern: /(^|\.)[*>](\.|$)/.test(subject), origin: 'literal' };
}
