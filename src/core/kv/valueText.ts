// A key-value entry's bytes as an editor shows them: JSON pretty-printed, other UTF-8 text as it is, binary as a hex
// dump, anything longer than the bound cut with its size said. Also the key and bucket name rules, as sentences.

export type ValueKind = 'json' | 'text' | 'binary';

export interface ValueText {
  text: string;
  kind: ValueKind;
  /** The value's whole size in bytes. */
  size: number;
  /** Whether the text shows only the first `maxBytes` of the value. */
  cut: boolean;
  /** Whether saving the text back gives the value (not for binary or cut values). */
  editable: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Text with no NUL or other control characters besides tab, newline and carriage return. */
function asText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return undefined;
  }
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

/** The value as the editor shows it; `maxBytes` bounds what is decoded. */
export function valueText(bytes: Uint8Array, maxBytes: number): ValueText {
  const size = bytes.length;
  const cut = size > maxBytes;
  const shown = cut ? bytes.subarray(0, maxBytes) : bytes;
  const text = asText(shown) ?? (cut ? asText(shown.subarray(0, Math.max(0, shown.length - 3))) : undefined);
  if (text === undefined) {
    const head = cut ? `# binary value, ${size} bytes: the first ${maxBytes} shown as hex\n` : `# binary value, ${size} bytes, as hex\n`;
    return { text: head + hexDump(shown), kind: 'binary', size, cut, editable: false };
  }
  if (cut) return { text: `# value cut: the first ${maxBytes} of ${size} bytes\n${text}`, kind: 'text', size, cut, editable: false };
  const json = prettyJson(text);
  if (json !== undefined) return { text: json, kind: 'json', size, cut, editable: true };
  return { text, kind: 'text', size, cut, editable: true };
}

/** Objects and arrays pretty-printed; scalars and non-JSON left alone (a bare number or word is text). */
function prettyJson(text: string): string | undefined {
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return `${JSON.stringify(JSON.parse(t), null, 2)}\n`;
  } catch {
    return undefined;
  }
}

/** `00000000  7b 22 61 22 3a 31 7d                              {"a":1}` */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hex = [...row].map(b => b.toString(16).padStart(2, '0')).join(' ').padEnd(47, ' ');
    const ascii = [...row].map(b => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex}  ${ascii}`);
  }
  return `${lines.join('\n')}\n`;
}

export type SavedValue = { ok: true; bytes: Uint8Array } | { ok: false; problem: string };

const encoder = new TextEncoder();

/**
 * The bytes to store for what the user saved, given how the value was shown: a JSON value shown pretty-printed is
 * stored compact again when the edit is still JSON (the pretty form is the editor's, not the value's).
 */
export function savedValue(shown: ValueText, edited: string, original?: Uint8Array): SavedValue {
  if (!shown.editable) {
    return { ok: false, problem: shown.kind === 'binary' ? 'This value is binary and shown as hex: it cannot be saved from the editor.' : `This value was cut (the first part of ${shown.size} bytes): it cannot be saved from the editor.` };
  }
  if (shown.kind !== 'json') return { ok: true, bytes: encoder.encode(edited) };
  if (edited === shown.text && original) return { ok: true, bytes: original };
  try {
    const parsed: unknown = JSON.parse(edited);
    const compact = original ? !/\n/.test(new TextDecoder().decode(original)) : true;
    return { ok: true, bytes: encoder.encode(compact ? JSON.stringify(parsed) : `${JSON.stringify(parsed, null, 2)}\n`) };
  } catch (e) {
    return { ok: false, problem: `The value was JSON and the edit is not valid JSON (${e instanceof Error ? e.message : String(e)}): fix it and save again.` };
  }
}

const KEY_RE = /^[-/=.\w]+$/;
const PATTERN_RE = /^[-/=.>*\w]+$/;
const BUCKET_RE = /^[-\w]+$/;

/** Why a key cannot be stored, in one sentence; undefined when it can. */
export function keyProblem(key: string): string | undefined {
  if (!key) return 'Enter a key.';
  if (key.startsWith('.') || key.endsWith('.') || key.includes('..')) return `"${key}" is not a valid key: dots separate tokens, so a key cannot start or end with one or hold two in a row.`;
  if (!KEY_RE.test(key)) {
    const bad = [...new Set([...key].filter(c => !/[-/=.\w]/.test(c)))].map(c => (c === ' ' ? 'space' : `"${c}"`)).join(', ');
    return `"${key}" is not a valid key (${bad}): use letters, digits and - / _ = . only.`;
  }
  return undefined;
}

/** Why a key pattern cannot filter keys; undefined when it can (`orders.>`, `*.eu`). */
export function keyPatternProblem(pattern: string): string | undefined {
  if (!pattern) return 'Enter a key pattern, such as orders.> or *.eu.';
  const tokens = pattern.split('.');
  if (pattern.startsWith('.') || pattern.endsWith('.') || tokens.some(t => t === '')) return `"${pattern}" is not a key pattern: dots separate tokens, none may be empty.`;
  if (!PATTERN_RE.test(pattern)) return `"${pattern}" is not a key pattern: use letters, digits, - / _ = and the wildcards * (one token) and > (the rest).`;
  if (tokens.some((t, i) => (t.includes('*') && t !== '*') || (t.includes('>') && (t !== '>' || i !== tokens.length - 1)))) {
    return `"${pattern}" is not a key pattern: * stands alone for one token and > only as the last token.`;
  }
  return undefined;
}

/** Why a bucket cannot be named so; undefined when it can. */
export function bucketNameProblem(name: string): string | undefined {
  if (!name) return 'Enter a name for the bucket.';
  return BUCKET_RE.test(name) ? undefined : `"${name}" is not a valid bucket name: use letters, digits, - and _ only.`;
}

/** Whether a key matches a pattern of `*` and `>` tokens. */
export function keyMatches(pattern: string, key: string): boolean {
  const p = pattern.split('.');
  const k = key.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return k.length > i;
    if (i >= k.length || (p[i] !== '*' && p[i] !== k[i])) return false;
  }
  return p.length === k.length;
}
