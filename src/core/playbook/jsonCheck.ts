// A JSON validator that reports where the text breaks: JSON.parse's messages differ across Node versions and
// carry no reliable offset. Iterative (an explicit stack), so deep nesting cannot overflow the call stack.

export interface JsonError {
  /** Offset into the text where the problem is seen. */
  offset: number;
  /** Lowercase phrase, e.g. "expected ',' or '}'". */
  reason: string;
}

const enum State { Value, Key, After }

function fail(offset: number, reason: string): JsonError {
  return { offset, reason };
}

/**
 * Checks text[start, end) as one JSON value. `useEnd(i)` gives the end of a `{{name}}` starting at i (or -1):
 * such a use stands for a value, since its expansion is what gets sent.
 */
export function checkJson(text: string, start: number, end: number, useEnd: (i: number) => number): JsonError | undefined {
  const stack: number[] = [];
  let i = start;
  let state = State.Value;
  let afterComma = false;
  for (;;) {
    i = skipWs(text, i, end);
    if (state === State.Value) {
      if (i >= end) return fail(i, 'expected a value before the end');
      const c = text.charCodeAt(i);
      const ue = useEnd(i);
      if (ue !== -1) i = ue;
      else if (c === 123 || c === 91) {
        stack.push(c);
        i = skipWs(text, i + 1, end);
        const close = c === 123 ? 125 : 93;
        if (i < end && text.charCodeAt(i) === close) {
          stack.pop();
          i++;
        } else if (c === 123) {
          state = State.Key;
          afterComma = false;
          continue;
        } else {
          afterComma = false;
          continue;
        }
      } else if (c === 34) {
        const r = scanString(text, i, end);
        if (typeof r !== 'number') return r;
        i = r;
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        const r = scanNumber(text, i, end);
        if (r === -1) return fail(i, 'malformed number');
        i = r;
      } else if (c === 116 || c === 102 || c === 110) {
        const word = c === 116 ? 'true' : c === 102 ? 'false' : 'null';
        if (text.startsWith(word, i) && i + word.length <= end) i += word.length;
        else return fail(i, 'expected a value');
      } else if ((c === 93 || c === 125) && afterComma) {
        return fail(i, 'a trailing comma before the closing bracket');
      } else return fail(i, c === 39 ? 'single quotes where JSON needs double quotes' : 'expected a value');
      state = State.After;
    } else if (state === State.Key) {
      const c = text.charCodeAt(i);
      if (i >= end || c !== 34) {
        if (c === 125 && afterComma) return fail(i, 'a trailing comma before the closing brace');
        return fail(i, 'expected a property name in double quotes');
      }
      const r = scanString(text, i, end);
      if (typeof r !== 'number') return r;
      i = skipWs(text, r, end);
      if (i >= end || text.charCodeAt(i) !== 58) return fail(i, "expected ':' after the property name");
      i++;
      state = State.Value;
      afterComma = false;
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) return i < end ? fail(i, 'unexpected text after the JSON value') : undefined;
      const c = i < end ? text.charCodeAt(i) : -1;
      const close = top === 123 ? 125 : 93;
      if (c === 44) {
        i++;
        state = top === 123 ? State.Key : State.Value;
        afterComma = true;
      } else if (c === close) {
        stack.pop();
        i++;
      } else return fail(i, top === 123 ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  }
}

// Sticky single-class runs: native speed, and a lone `*` over one class cannot backtrack badly.
const WS = /[ \t\n\r]*/y;
const STRING_RUN = /[^"\\\u0000-\u001f]*/y;

function run(re: RegExp, text: string, i: number, end: number): number {
  re.lastIndex = i;
  re.test(text);
  return Math.min(re.lastIndex, end);
}

function skipWs(text: string, i: number, end: number): number {
  return run(WS, text, i, end);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** The offset after the closing quote, or the error. */
function scanString(text: string, i: number, end: number): number | JsonError {
  const open = i;
  for (i = run(STRING_RUN, text, i + 1, end); i < end; i = run(STRING_RUN, text, i + 1, end)) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c < 32) return { offset: i, reason: c === 10 || c === 13 ? 'a line break inside a string' : 'a control character inside a string' };
    if (c === 92) {
      const e = i + 1 < end ? text.charCodeAt(i + 1) : -1;
      if (e === 117) {
        for (let k = 2; k < 6; k++) if (i + k >= end || !isHex(text.charCodeAt(i + k))) return { offset: i, reason: 'a malformed \\u escape' };
        i += 5;
      } else if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) i++;
      else return { offset: i, reason: 'an invalid escape in a string' };
    }
  }
  return { offset: open, reason: 'a string that is never closed' };
}

/** The offset after `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`, or -1. */
function scanNumber(text: string, i: number, end: number): number {
  const digits = (k: number): number => {
    const s = k;
    while (k < end && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
    return k === s ? -1 : k;
  };
  if (text.charCodeAt(i) === 45) i++;
  if (i < end && text.charCodeAt(i) === 48) i++;
  else {
    i = digits(i);
    if (i === -1) return -1;
  }
  if (i < end && text.charCodeAt(i) === 46) {
    i = digits(i + 1);
    if (i === -1) return -1;
  }
  if (i < end && (text.charCodeAt(i) === 101 || text.charCodeAt(i) === 69)) {
    i++;
    if (i < end && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++;
    i = digits(i);
  }
  return i;
}
