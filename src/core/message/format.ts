// The one message formatter views, tails and exports share: a text block to read, a playbook block to send again,
// a JSON line to export (and read back).
import { parsePlaybook } from '../playbook/parser';
import { formatBytes } from '../text/format';
import { classifyPayload, hexLines, isJson, objectMemberSpans, payloadText, reformatJson, utf8Prefix, utf8Text } from './payload';
import type { ViewedMessage } from './types';

export interface FormatOptions {
  /** Payload bytes shown before the rest is cut (64 KiB). */
  maxPayloadBytes?: number;
  showHeaders?: boolean;
}

export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;
/** Lines of hex a binary payload shows (16 bytes each). */
export const HEX_PREVIEW_LINES = 8;
/** Up to this size a payload longer than the cut is still checked whole for JSON, so it shows indented. */
const JSON_CHECK_LIMIT = 4 * 1024 * 1024;

/** `#42  2026-12-01T09:30:00.000Z  dev.domain.sales.order.created.…  1.2 KB`: what is known of the message, on one line. */
export function messageTitle(m: ViewedMessage): string {
  const parts = [m.subject, formatBytes(fullSize(m))];
  if (validTime(m.time)) parts.unshift(m.time.toISOString());
  if (m.seq !== undefined) parts.unshift(`#${m.seq}`);
  return parts.join('  ');
}

/** The title line, the headers (`Name: value`), a blank line and the payload as a person reads it. */
export function formatMessage(m: ViewedMessage, options: FormatOptions = {}): string {
  const lines = [messageTitle(m)];
  if (options.showHeaders ?? true) for (const [name, value] of m.headers) lines.push(`${name}: ${value}`);
  lines.push('', formatPayload(m, options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES));
  return lines.join('\n');
}

/** JSON indented by 2, UTF-8 text as is, anything else as a hex preview; beyond `max` bytes cut, saying the full size. */
export function formatPayload(m: ViewedMessage, max: number = DEFAULT_MAX_PAYLOAD_BYTES): string {
  const { data } = m;
  const total = fullSize(m);
  const cut = `… (cut: ${formatBytes(total)} in all)`;
  const complete = data.length >= total;
  if (data.length === 0) return complete ? '(empty payload)' : cut;
  if (complete && data.length <= max) {
    const p = classifyPayload(data);
    if (p.kind === 'json') return reformatJson(p.text);
    if (p.kind === 'text') return p.text;
    return hexPreview(data, max, total, cut);
  }
  if (complete && data.length <= JSON_CHECK_LIMIT) {
    const text = payloadText(data);
    if (text !== undefined && isJson(text)) return cutText(reformatJson(text), max, cut);
  }
  const text = payloadText(utf8Prefix(data, max));
  if (text !== undefined) return withCut(text, cut);
  return hexPreview(data, max, total, cut);
}

function hexPreview(data: Uint8Array, max: number, total: number, cut: string): string {
  const shown = data.subarray(0, Math.min(max, HEX_PREVIEW_LINES * 16));
  const lines = hexLines(shown, HEX_PREVIEW_LINES);
  if (total > shown.length) lines.push(cut);
  return lines.join('\n');
}

/** Text cut at its last line break before `max` characters (or at `max` when a line is longer). */
function cutText(text: string, max: number, cut: string): string {
  if (text.length <= max) return text;
  const nl = text.lastIndexOf('\n', max);
  return withCut(text.slice(0, nl > max / 2 ? nl : max), cut);
}

function withCut(text: string, cut: string): string {
  return `${text}${text.endsWith('\n') ? '' : '\n'}${cut}`;
}

// ---- A playbook block ----

const EXPECT_HEADER = /^Nats-Expected-/i;

/**
 * A `.nats` PUB block that sends the message again: `###` title, PUB line, headers, blank line, body (JSON indented).
 * What a playbook cannot carry (a binary payload, a body it would read otherwise) is said in a `#` line instead.
 */
export function messageAsNatsBlock(m: ViewedMessage): string {
  const notes: string[] = [];
  const origin = [m.stream && `stream ${m.stream}`, m.seq !== undefined && `seq ${m.seq}`, validTime(m.time) && `stored ${m.time.toISOString()}`]
    .filter((x): x is string => typeof x === 'string');
  if (origin.length) notes.push(`# From ${origin.join(', ')}.`);

  const headerLines: string[] = [];
  let expectOff = false;
  for (const [name, value] of m.headers) {
    if (EXPECT_HEADER.test(name)) {
      expectOff = true;
      headerLines.push(`# ${name}: ${value}`);
    } else if (headerFits(name, value)) {
      headerLines.push(`${name}: ${value}`);
    } else {
      notes.push(`# A playbook cannot carry the header ${JSON.stringify(name)} with its value as it is; it is left out.`);
    }
  }
  if (expectOff) notes.push('# Nats-Expected-* headers are commented out: the stream checked them when the original was stored.');
  // only a message that was sent before (it has an origin) has an original whose id a re-send would repeat
  if (origin.length > 0 && m.headers.some(([n]) => n.toLowerCase() === 'nats-msg-id')) {
    notes.push("# Nats-Msg-Id is the original's: inside the stream's duplicate window a re-send is not stored again; change it to send anew.");
  }

  const body = playbookBody(m, notes);
  const lines = [`### ${m.subject}`, ...notes, `PUB ${m.subject}`, ...headerLines];
  if (body !== undefined) lines.push('', body);
  return lines.join('\n') + '\n';
}

function headerFits(name: string, value: string): boolean {
  const header = parsePlaybook(`PUB x\n${name}: ${value}\n`).blocks[0]?.headers[0];
  return header !== undefined && header.name === name && header.value === value && !/\{\{[A-Za-z_][\w-]*\}\}/.test(value);
}

function playbookBody(m: ViewedMessage, notes: string[]): string | undefined {
  const total = fullSize(m);
  if (m.data.length < total) {
    notes.push(`# Only the first ${formatBytes(m.data.length)} of the ${formatBytes(total)} payload was read: the body is left empty.`);
    return undefined;
  }
  const p = classifyPayload(m.data);
  if (p.kind === 'empty') return undefined;
  if (p.kind === 'binary') {
    notes.push(`# The payload is binary (${formatBytes(total)}), which a PUB body cannot carry: the body is left empty.`);
    return undefined;
  }
  const body = p.kind === 'json' ? reformatJson(p.text) : p.text;
  const parsed = parsePlaybook(`PUB x\n\n${body}\n`);
  const read = parsed.blocks[0]?.body?.text;
  const broken = parsed.problems.some(q => q.severity === 'error');
  if (!broken && read === body) return body;
  if (!broken && read !== undefined && read === body.replace(/^(?:[ \t]*(?:\r\n|\n|\r))+/, '').replace(/\s+$/, '')) {
    notes.push('# The payload starts or ends with blank lines or spaces, which a playbook body does not keep.');
    return body;
  }
  notes.push(`# The payload cannot be a PUB body as it is (${bodyRefusal(body)}): the body is left empty.`);
  return undefined;
}

function bodyRefusal(body: string): string {
  const variable = /\{\{([A-Za-z_][\w-]*)\}\}/.exec(body);
  if (variable) return `it holds {{${variable[1]}}}, which a playbook reads as a variable`;
  const lines = body.split(/\r\n|\n|\r/).map(l => l.trimStart()).filter(l => l !== '');
  if (lines.some(l => l.startsWith('###'))) return 'a line starting with ### would begin a new block';
  if (lines[0]?.startsWith('#')) return 'its first line would read as a comment';
  if (lines.at(-1)?.startsWith('#')) return 'its last line would read as a comment';
  if (lines[0]?.startsWith('@')) return 'its first line would read as a variable definition';
  if (/^[{[]/.test(lines[0] ?? '')) return 'it starts like JSON but is not valid JSON';
  return 'a playbook would not read it back unchanged';
}

// ---- JSON lines ----

/**
 * One JSONL line `{seq,time,subject,headers,payload}`: a JSON payload inline (compact, its literals as written),
 * any other as `{"base64": "…"}`. Headers are `[name, value]` pairs, in order.
 */
export function messageAsJsonLine(m: ViewedMessage): string {
  const seq = m.seq !== undefined ? `"seq":${m.seq},` : '';
  const time = validTime(m.time) ? `"time":"${isoTime(m.time)}",` : '';
  return `{${seq}${time}"subject":${JSON.stringify(m.subject)},"headers":${JSON.stringify(m.headers)},"payload":${jsonPayload(m.data)}}`;
}

/** The last time written, as ISO text: messages stored in the same millisecond (most, in a busy stream) share it. */
let lastIso = { ms: NaN, text: '' };

function isoTime(t: Date): string {
  const ms = t.getTime();
  if (ms !== lastIso.ms) lastIso = { ms, text: t.toISOString() };
  return lastIso.text;
}

function jsonPayload(data: Uint8Array): string {
  const text = data.length > 0 ? utf8Text(data) : undefined;
  if (text !== undefined) {
    // one parse tells JSON from text and a payload shaped like the base64 wrapper
    let parsed: unknown;
    let json = true;
    try {
      parsed = JSON.parse(text);
    } catch {
      json = false;
    }
    // JSON.parse refuses every raw control character but DEL, which makes the payload bytes (see payloadText);
    // a JSON text holds a line break only as a blank, so one without any is written as it is, byte for byte —
    // unless blanks surround it, which a reader of the line cannot tell from the line's own.
    if (json && !text.includes('\x7f') && !isBase64Wrapper(parsed)) return asWritten(text) ? text : reformatJson(text, 0);
  }
  return `{"base64":"${Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64')}"}`;
}

/** A JSON text a JSON line can hold as it is: no line break, no blank around it. */
function asWritten(text: string): boolean {
  const blank = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
  return !text.includes('\n') && !text.includes('\r') && !blank(text.charCodeAt(0)) && !blank(text.charCodeAt(text.length - 1));
}

/** `{"base64": "…"}` is how bytes travel; a JSON payload of that very shape travels as bytes too, so it reads back as itself. */
function isBase64Wrapper(v: unknown): v is { base64: string } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === 'base64' && typeof (v as { base64: unknown }).base64 === 'string';
}

export type JsonLineResult = { ok: true; message: ViewedMessage } | { ok: false; problem: string };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const encoder = new TextEncoder();

/**
 * A line written by `messageAsJsonLine` (or by hand in its shape) back into a message; `lineNo` (1-based) starts the
 * problem. A JSON payload comes back byte for byte, or compact when the original held line breaks or outer blanks.
 */
export function parseJsonLine(text: string, lineNo: number): JsonLineResult {
  const fail = (why: string): JsonLineResult => ({ ok: false, problem: `line ${lineNo}: ${why}` });
  const t = text.trim();
  if (!t) return fail('the line is empty.');
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch (e) {
    return fail(`not JSON (${(e instanceof Error ? e.message : String(e)).replace(/\.$/, '')}).`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('not a message: expected an object with "subject" and "payload".');
  const o = v as Record<string, unknown>;
  if (typeof o.subject !== 'string' || o.subject === '' || /\s/.test(o.subject)) return fail('"subject" must be a subject: a non-empty string without spaces.');
  const message: ViewedMessage = { subject: o.subject, headers: [], data: new Uint8Array(0), size: 0 };
  if (o.seq !== undefined && o.seq !== null) {
    if (typeof o.seq !== 'number' || !Number.isSafeInteger(o.seq) || o.seq < 1) return fail('"seq" must be a whole number from 1.');
    message.seq = o.seq;
  }
  if (o.time !== undefined && o.time !== null) {
    const at = typeof o.time === 'string' ? new Date(o.time) : undefined;
    if (!validTime(at)) return fail('"time" must be an ISO time such as "2026-12-01T09:30:00.000Z".');
    message.time = at;
  }
  const headers = readHeaders(o.headers);
  if (headers === undefined) return fail('"headers" must be a list of [name, value] pairs (or an object of names to values).');
  message.headers = headers;
  if (!('payload' in o)) return fail('no "payload": add it (JSON as is, other bytes as {"base64": "…"}).');
  if (isBase64Wrapper(o.payload)) {
    if (!BASE64.test(o.payload.base64)) return fail('"payload.base64" is not valid base64.');
    message.data = new Uint8Array(Buffer.from(o.payload.base64, 'base64'));
  } else {
    // the payload as the line writes it: one line holds no line break, so its blanks are the original's own
    const span = objectMemberSpans(t).get('payload')!;
    message.data = encoder.encode(t.slice(span.start, span.end));
  }
  message.size = message.data.length;
  return { ok: true, message };
}

function readHeaders(v: unknown): [string, string][] | undefined {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) {
    const pairs: [string, string][] = [];
    for (const p of v) {
      if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'string' || p[0] === '') return undefined;
      pairs.push([p[0], p[1]]);
    }
    return pairs;
  }
  if (typeof v !== 'object') return undefined;
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(v)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    for (const x of values) {
      if (typeof x !== 'string') return undefined;
      pairs.push([name, x]);
    }
  }
  return pairs;
}

function fullSize(m: ViewedMessage): number {
  return Math.max(m.size, m.data.length);
}

function validTime(t: Date | undefined): t is Date {
  return t instanceof Date && !Number.isNaN(t.getTime());
}
