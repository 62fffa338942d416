// A CEL syntax error as one sentence at the column where a person would fix it; the parser alone reports
// where its longest reading stopped ("found = but expecting end of input"), which rarely says what is wrong.

export interface SyntaxProblem {
  /** 0-based UTF-16 offset into the expression. */
  offset: number;
  message: string;
}

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const OPENER: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const TRAILING = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '%', '!', '.', ',', '?', ':', 'in'];

/** The first mistake found in `source`, for an expression the CEL parser refused at `parserOffset`. */
export function syntaxProblem(source: string, parserOffset: number, found: string | undefined): SyntaxProblem {
  if (source.trim() === '') return { offset: 0, message: 'The expression is empty: write a condition such as event.data.customer_id == "123".' };
  const stack: { ch: string; at: number }[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '"' || c === "'") {
      const end = stringEnd(source, i);
      if (end < 0) return { offset: i, message: `The string that opens at column ${i + 1} is not closed: end it with ${c}.` };
      i = end;
    } else if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c in CLOSER) {
      stack.push({ ch: c, at: i });
    } else if (c in OPENER) {
      const open = stack.pop();
      if (!open) return { offset: i, message: `The ${c} at column ${i + 1} closes nothing: remove it or open it earlier with ${OPENER[c]}.` };
      if (CLOSER[open.ch] !== c) return { offset: i, message: `The ${c} at column ${i + 1} does not match the ${open.ch} at column ${open.at + 1}: close that with ${CLOSER[open.ch]}.` };
    } else if (c === '=' && !'=!<>'.includes(source[i - 1] ?? '') && source[i + 1] !== '=') {
      return { offset: i, message: `The single = at column ${i + 1} is no comparison in CEL: write ==.` };
    } else if ((c === '&' || c === '|') && source[i + 1] !== c && source[i - 1] !== c) {
      return { offset: i, message: `The single ${c} at column ${i + 1} is no operator in CEL: write ${c}${c}.` };
    }
  }
  const open = stack.pop();
  if (open) return { offset: open.at, message: `The ${open.ch} at column ${open.at + 1} is never closed: add ${CLOSER[open.ch]}.` };
  const trimmed = source.trimEnd();
  const last = TRAILING.find((op) => trimmed.endsWith(op) && (op !== 'in' || /\sin$/.test(trimmed)));
  if (last) {
    const at = trimmed.length - last.length;
    return { offset: at, message: `The expression ends after ${last} at column ${at + 1}: write what follows it.` };
  }
  const what = found ? `"${found}"` : 'the end';
  return { offset: parserOffset, message: `CEL cannot read the expression from column ${parserOffset + 1} (at ${what}): check the operator or name there.` };
}

/** The index of the closing quote of the string opening at `i`, or -1 when it never closes on its line. */
function stringEnd(source: string, i: number): number {
  const q = source[i]!;
  const triple = source.startsWith(q.repeat(3), i);
  if (triple) {
    const end = source.indexOf(q.repeat(3), i + 3);
    return end < 0 ? -1 : end + 2;
  }
  for (let j = i + 1; j < source.length; j++) {
    const c = source[j];
    if (c === '\\') j++;
    else if (c === q) return j;
    else if (c === '\n') return -1;
  }
  return -1;
}
