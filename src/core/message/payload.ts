// What a payload is (JSON, UTF-8 text or bytes) and how each reads: JSON re-indented with its literals as written, bytes as hex.

export type Payload =
  | { kind: 'empty' }
  | { kind: 'json'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'binary' };

// ignoreBOM keeps a leading BOM in the text, so such a payload is text rather than JSON that would lose it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as text when they are valid UTF-8 without control characters other than tab, LF and CR; else undefined. */
export function payloadText(data: Uint8Array): string | undefined {
  const text = utf8Text(data);
  // control bytes are ASCII in UTF-8 (no multi-byte sequence holds one): the decoded text shows them as they are
  return text === undefined || CONTROL.test(text) ? undefined : text;
}

/** The bytes as text when they are valid UTF-8 (control characters included); else undefined. */
export function utf8Text(data: Uint8Array): string | undefined {
  try {
    return utf8.decode(data);
  } catch {
    return undefined;
  }
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function classifyPayload(data: Uint8Array): Payload {
  if (data.length === 0) return { kind: 'empty' };
  const text = utf8Text(data);
  if (text === undefined) return { kind: 'binary' };
  // JSON.parse refuses every raw control character but DEL: a JSON text needs only that one looked for
  if (isJson(text)) return text.includes('\x7f') ? { kind: 'binary' } : { kind: 'json', text };
  return CONTROL.test(text) ? { kind: 'binary' } : { kind: 'text', text };
}

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** At most `max` bytes from the start, never ending inside a UTF-8 sequence. */
export function utf8Prefix(data: Uint8Array, max: number): Uint8Array {
  if (data.length <= max) return data;
  let end = Math.max(0, max);
  // data[end] is the first byte left out: a continuation byte there means a character would be split.
  for (let k = 0; k < 3 && end > 0 && (data[end]! & 0xc0) === 0x80; k++) end--;
  return data.subarray(0, end);
}

function isJsonBlank(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** The end of the string literal that opens at `i` (after its closing quote), or the text's end when it is cut. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j + 1;
  }
  return text.length;
}

/**
 * JSON text re-indented (`indent` spaces; 0 = compact), every string and number kept as written: a parse and
 * stringify would round 12345678901234567890 and rewrite escapes. Works on a cut JSON text too (it only re-spaces).
 */
export function reformatJson(text: string, indent = 2): string {
  if (indent === 0 && isCompact(text)) return text;
  const out: string[] = [];
  const pad = (depth: number): string => (indent > 0 ? '\n' + ' '.repeat(indent * depth) : '');
  const n = text.length;
  let depth = 0;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (isJsonBlank(c)) {
      i++;
    } else if (c === 34) {
      const e = stringEnd(text, i);
      out.push(text.slice(i, e));
      i = e;
    } else if (c === 123 || c === 91) {
      let k = i + 1;
      while (k < n && isJsonBlank(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) === c + 2) {
        out.push(c === 123 ? '{}' : '[]');
        i = k + 1;
      } else {
        depth++;
        out.push(text[i]! + pad(depth));
        i++;
      }
    } else if (c === 125 || c === 93) {
      depth = Math.max(0, depth - 1);
      out.push(pad(depth) + text[i]!);
      i++;
    } else if (c === 44) {
      out.push(',' + pad(depth));
      i++;
    } else if (c === 58) {
      out.push(indent > 0 ? ': ' : ':');
      i++;
    } else {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (isJsonBlank(d) || d === 44 || d === 58 || d === 123 || d === 125 || d === 91 || d === 93 || d === 34) break;
        j++;
      }
      out.push(text.slice(i, j));
      i = j;
    }
  }
  return out.join('');
}

/** No blank outside string literals: compact already (most payloads, as JSON.stringify writes them). */
function isCompact(text: string): boolean {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = stringEnd(text, i) - 1;
    else if (isJsonBlank(c)) return false;
  }
  return true;
}

/**
 * The raw text of each member of the top-level JSON object in `text`, by key (a repeated key: the last, as JSON.parse).
 * Only for text that JSON.parse accepted as an object.
 */
export function objectMemberSpans(text: string): Map<string, { start: number; end: number }> {
  const spans = new Map<string, { start: number; end: number }>();
  const n = text.length;
  const skip = (i: number): number => {
    while (i < n && isJsonBlank(text.charCodeAt(i))) i++;
    return i;
  };
  let i = skip(0) + 1;
  for (;;) {
    i = skip(i);
    if (i >= n || text.charCodeAt(i) !== 34) return spans;
    const keyEnd = stringEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skip(skip(keyEnd) + 1);
    const start = i;
    i = valueEnd(text, i);
    spans.set(key, { start, end: i });
    i = skip(i) + 1;
  }
}

function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 34) return stringEnd(text, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === 34) j = stringEnd(text, j) - 1;
      else if (d === 123 || d === 91) depth++;
      else if ((d === 125 || d === 93) && --depth === 0) return j + 1;
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && !isJsonBlank(text.charCodeAt(j)) && text.charCodeAt(j) !== 44 && text.charCodeAt(j) !== 125) j++;
  return j;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** `hexdump -C` lines: offset, 16 bytes in two groups of 8, and the printable ASCII between bars. */
export function hexLines(data: Uint8Array, maxLines: number): string[] {
  const lines: string[] = [];
  for (let off = 0; off < data.length && lines.length < maxLines; off += 16) {
    const row = data.subarray(off, off + 16);
    let hex = '';
    let ascii = '';
    for (let k = 0; k < 16; k++) {
      const b = row[k];
      hex += (k === 8 ? ' ' : '') + (b === undefined ? '   ' : `${HEX[b]} `);
      if (b !== undefined) ascii += b >= 32 && b < 127 ? String.fromCharCode(b) : '.';
    }
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`);
  }
  return lines;
}
