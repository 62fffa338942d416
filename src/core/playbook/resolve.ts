// Expanding `{{name}}` at send time, and mapping problems in an expanded subject back to the document.
import type { Span } from '../problem';
import { scanUses } from './scan';
import type { Builtins, PlaybookBlock, Scope, VariableDef } from './types';

export interface Resolved {
  value: string;
  /** Names with neither a definition nor a built-in; their `{{name}}` stays in the value as written. */
  unresolved: string[];
}

/**
 * Evaluates definitions in order, each against the ones before it: a value is computed once here, so every use of
 * `@id = {{uuid}}` within one send sees the same UUID. Pass the result to the calls that build that send.
 */
export function evaluateScope(defs: readonly VariableDef[], builtins: Builtins): Map<string, string> {
  const values = new Map<string, string>();
  for (const d of defs) values.set(d.name, expand(d.value, values, builtins, []));
  return values;
}

export function resolveVariables(text: string, scope: Scope, builtins: Builtins): Resolved {
  const unresolved: string[] = [];
  const value = expand(text, valuesOf(scope, builtins), builtins, unresolved);
  return { value, unresolved };
}

export interface ResolvedBlock {
  subject: string;
  headers: { name: string; value: string }[];
  body?: string;
  unresolved: string[];
}

/** Everything a send needs, with the block's variables evaluated once for the whole message. */
export function resolveBlock(block: PlaybookBlock, builtins: Builtins): ResolvedBlock {
  const values = evaluateScope(block.variablesInScope, builtins);
  const unresolved: string[] = [];
  const one = (t: string): string => expand(t, values, builtins, unresolved);
  const out: ResolvedBlock = {
    subject: one(block.subject),
    headers: block.headers.map(h => ({ name: h.name, value: one(h.value) })),
    unresolved,
  };
  if (block.body) out.body = one(block.body.text);
  return out;
}

export interface SubjectForValidation extends Resolved {
  /** Maps a span in `value` to document offsets; a span end inside an expansion widens to the whole `{{name}}`. */
  toDocument(span: Span): Span;
  /** The document span when the span lies wholly in literal text (where a fix may edit), else undefined. */
  literalSpan(span: Span): Span | undefined;
}

interface Segment {
  out: number;
  outEnd: number;
  doc: number;
  docEnd: number;
  literal: boolean;
}

/** The block's subject with variables expanded, for the algebra's validator, and the way back to the document. */
export function subjectForValidation(block: PlaybookBlock, scope: Scope, builtins: Builtins): SubjectForValidation {
  const values = valuesOf(scope, builtins);
  const base = block.subjectRange.start;
  const raw = block.subject;
  const segments: Segment[] = [];
  const unresolved: string[] = [];
  let value = '';
  let last = 0;
  const literal = (from: number, to: number): void => {
    if (to <= from) return;
    segments.push({ out: value.length, outEnd: value.length + to - from, doc: base + from, docEnd: base + to, literal: true });
    value += raw.slice(from, to);
  };
  for (const u of scanUses(raw, 0, raw.length)) {
    literal(last, u.start);
    const v = lookup(u.name, values, builtins);
    if (v === undefined) pushOnce(unresolved, u.name);
    const text = v ?? raw.slice(u.start, u.end);
    segments.push({ out: value.length, outEnd: value.length + text.length, doc: base + u.start, docEnd: base + u.end, literal: false });
    value += text;
    last = u.end;
  }
  literal(last, raw.length);
  const clamp = (o: number): number => Math.max(0, Math.min(o, value.length));
  const mapStart = (o: number): number => {
    const s = segments.find(g => g.out <= o && o < g.outEnd);
    return s ? (s.literal ? s.doc + (o - s.out) : s.doc) : base + raw.length;
  };
  const mapEnd = (o: number): number => {
    const s = segments.find(g => g.out < o && o <= g.outEnd);
    return s ? (s.literal ? s.doc + (o - s.out) : s.docEnd) : base;
  };
  const toDocument = (span: Span): Span => {
    const start = mapStart(clamp(span.start));
    const end = mapEnd(clamp(span.end));
    return start <= end ? { start, end } : { start, end: start };
  };
  const literalSpan = (span: Span): Span | undefined => {
    const g = segments.find(x => x.literal && x.out <= span.start && span.end <= x.outEnd && span.start <= span.end);
    return g && { start: g.doc + (span.start - g.out), end: g.doc + (span.end - g.out) };
  };
  return { value, unresolved, toDocument, literalSpan };
}

function valuesOf(scope: Scope, builtins: Builtins): ReadonlyMap<string, string> {
  return isDefs(scope) ? evaluateScope(scope, builtins) : scope;
}

function isDefs(scope: Scope): scope is readonly VariableDef[] {
  return Array.isArray(scope);
}

function lookup(name: string, values: ReadonlyMap<string, string>, builtins: Builtins): string | undefined {
  const v = values.get(name);
  if (v !== undefined) return v;
  if (name === 'uuid') return builtins.uuid();
  if (name === 'now') return builtins.now();
  if (name === 'env') return builtins.env;
  return undefined;
}

function expand(text: string, values: ReadonlyMap<string, string>, builtins: Builtins, unresolved: string[]): string {
  const uses = scanUses(text, 0, text.length);
  if (!uses.length) return text;
  let out = '';
  let last = 0;
  for (const u of uses) {
    const v = lookup(u.name, values, builtins);
    if (v === undefined) pushOnce(unresolved, u.name);
    out += text.slice(last, u.start) + (v ?? text.slice(u.start, u.end));
    last = u.end;
  }
  return out + text.slice(last);
}

function pushOnce(list: string[], name: string): void {
  if (!list.includes(name)) list.push(name);
}
