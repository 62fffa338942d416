// Character-level scanning shared by the parser and the resolver: charCode loops, no regex backtracking.

/** Space, tab, vertical tab, form feed: blanks inside a line. */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12;
}

export function skipBlanks(text: string, i: number, end: number): number {
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  return i;
}

/** The end of the trimmed content in [start, end). */
export function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return end;
}

/** The end of a run of non-blank characters starting at i. */
export function wordEnd(text: string, i: number, end: number): number {
  while (i < end && !isBlank(text.charCodeAt(i))) i++;
  return i;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A variable name is `[A-Za-z_][A-Za-z0-9_-]*`. */
export function nameEnd(text: string, i: number, end: number): number {
  if (i >= end) return i;
  const c0 = text.charCodeAt(i);
  if (!isLetter(c0) && c0 !== 95) return i;
  i++;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (!isLetter(c) && !isDigit(c) && c !== 95 && c !== 45) break;
    i++;
  }
  return i;
}

/** RFC 7230 token characters, which NATS header names use, as a table: this runs on every header character. */
const HEADER_NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) if (isLetter(c) || isDigit(c) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c))) HEADER_NAME[c] = 1;

export function isHeaderNameChar(c: number): boolean {
  return c < 128 && HEADER_NAME[c] === 1;
}

export interface ScannedUse {
  name: string;
  start: number;
  end: number;
}

/** A `{{ name }}` with blanks inside the braces: meant as a use, but sent as literal text. */
export interface MalformedUse {
  start: number;
  end: number;
  name: string;
}

/** Calls onUse for every `{{name}}` in text[start, end); any other `{{` is literal text (a JSON string may hold it). */
export function forEachUse(
  text: string, start: number, end: number, onUse: (name: string, start: number, end: number) => void, malformed?: MalformedUse[],
): void {
  // A slice bounds the native indexOf to the range, so many small ranges stay linear in the text.
  const range = text.slice(start, end);
  let k = range.indexOf('{{');
  while (k !== -1) {
    const i = start + k;
    const ns = skipBlanks(text, i + 2, end);
    const ne = nameEnd(text, ns, end);
    let next = i + 1;
    if (ne > ns) {
      const close = skipBlanks(text, ne, end);
      const closed = close + 1 < end && text.charCodeAt(close) === 125 && text.charCodeAt(close + 1) === 125;
      if (closed && ns === i + 2 && close === ne) {
        onUse(text.slice(ns, ne), i, ne + 2);
        next = ne + 2;
      } else if (closed) {
        malformed?.push({ start: i, end: close + 2, name: text.slice(ns, ne) });
        next = close + 2;
      } else next = ne;
    }
    k = range.indexOf('{{', next - start);
  }
}

export function scanUses(text: string, start: number, end: number): ScannedUse[] {
  const uses: ScannedUse[] = [];
  forEachUse(text, start, end, (name, s, e) => uses.push({ name, start: s, end: e }));
  return uses;
}

export { lineAt, lineStarts } from '../text/lines';
