// Subject matching with NATS semantics, scanning characters so a loop over many patterns stays cheap.

const DOT = 46;
const STAR = 42;
const GT = 62;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}

/** End of the token that starts at i, or -1 when that token is empty or holds whitespace. */
function tokenEnd(s: string, i: number): number {
  let j = i;
  for (; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === DOT) break;
    if (isSpace(c)) return -1;
  }
  return j === i ? -1 : j;
}

/** Whether every token after the one ending at i is valid (what `>` swallows must still be a subject). */
function validTail(s: string, i: number): boolean {
  let end = i;
  while (end < s.length) {
    end = tokenEnd(s, end + 1);
    if (end < 0) return false;
  }
  return true;
}

function sameToken(a: string, ai: number, ae: number, b: string, bi: number, be: number): boolean {
  if (ae - ai !== be - bi) return false;
  for (let k = 0; k < ae - ai; k++) if (a.charCodeAt(ai + k) !== b.charCodeAt(bi + k)) return false;
  return true;
}

/**
 * Whether `subject` is one of the subjects `pattern` captures: `*` is exactly one token, `>` one or
 * more trailing tokens, wildcards only as whole tokens. An invalid pattern or subject matches nothing.
 * Wildcards in `subject` are literal tokens: `matches('a.*', 'a.*')` but not `matches('a.b', 'a.*')`;
 * compare two patterns with `subset` or `meet` instead.
 */
export function matches(pattern: string, subject: string): boolean {
  let pi = 0;
  let si = 0;
  for (;;) {
    const pe = tokenEnd(pattern, pi);
    const se = tokenEnd(subject, si);
    if (pe < 0 || se < 0) return false;
    const single = pe - pi === 1;
    if (single && pattern.charCodeAt(pi) === GT) return pe === pattern.length && validTail(subject, se);
    const star = single && pattern.charCodeAt(pi) === STAR;
    if (!star && !sameToken(pattern, pi, pe, subject, si, se)) return false;
    const patternDone = pe === pattern.length;
    const subjectDone = se === subject.length;
    if (patternDone || subjectDone) return patternDone && subjectDone;
    pi = pe + 1;
    si = se + 1;
  }
}
