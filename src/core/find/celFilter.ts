/*
 * Find Messages' filter: a CEL expression (https://cel.dev, evaluated by @bufbuild/cel, never as JavaScript),
 * compiled once and evaluated against each message. The variables (CEL_VARIABLES, for completion and the README):
 *   subject  string               the subject                          subject.endsWith(".placed." + event.event_id)
 *   tokens   list(string)         the subject's tokens                 tokens[2] == "order"
 *   seq      uint                 the stream sequence                  seq > 1000u
 *   time     timestamp            when the stream stored it            time > timestamp("2026-12-01T00:00:00Z")
 *   headers  map(string, string)  headers by name, first value         headers["Nats-Msg-Id"] == "8e7e…"
 *   size     int                  payload bytes                        event.event_type.startsWith("Order") && size > 1024
 *   event    dyn                  the JSON payload, null if not JSON   event.data.customer_id == "123"
 *   stream   string               the stream's name                    stream == "DOMAIN_EVENTS"
 * `has(event.data.customer_id)` tests for a field. An expression that fails on a message (a missing field, a
 * payload that is not JSON, a type mismatch) does not match it; the failure comes back as data to count and show.
 */
import { celEnv, isCelError, parse, plan, type CelInput, type CelResult } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { ViewedMessage } from '../message/types';
import { CEL_DECLARATIONS, CEL_VARIABLES, celBindings, parsePayload } from './celVariables';
import { syntaxProblem } from './celSyntax';

export { CEL_VARIABLES, type CelVariable } from './celVariables';

/** A problem with the expression itself, found before any message is read. */
export interface CelCompileProblem {
  /** 1-based column in the expression's text (counted over the whole text when it spans lines). */
  column: number;
  /** 0-based offset of that column. */
  offset: number;
  /** One sentence that names the problem and where. */
  message: string;
}

export interface CelMatch {
  matched: boolean;
  /** Why the expression could not be evaluated on this message; the message then does not match. */
  error?: string;
}

export interface CelFilter {
  readonly source: string;
  /** Whether the expression reads the payload (when not, no payload is parsed). */
  readonly usesEvent: boolean;
  evaluate(message: ViewedMessage): CelMatch;
}

export type CelCompileResult = { ok: true; filter: CelFilter } | { ok: false; problem: CelCompileProblem };

type ParsedExpr = ReturnType<typeof parse>;
type Expr = ParsedExpr['expr'];

const env = celEnv({ funcs: strings, variables: CEL_DECLARATIONS });
const VARIABLE_NAMES = new Set(CEL_VARIABLES.map((v) => v.name));
// Type names are identifiers too (type(x) == string); google names the well-known types.
const TYPE_NAMES = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type', 'dyn', 'google']);

/** Compiles `source` once; a syntax error, an unknown variable or an unknown function comes back with its column. */
export function compileCel(source: string): CelCompileResult {
  let parsed: ParsedExpr;
  try {
    parsed = parse(source);
  } catch (e) {
    const err = e as { location?: { start?: { offset?: number } }; found?: string | null };
    const s = syntaxProblem(source, err.location?.start?.offset ?? 0, err.found ?? undefined);
    return { ok: false, problem: { offset: s.offset, column: s.offset + 1, message: s.message } };
  }
  const positions = parsed.sourceInfo?.positions ?? {};
  const offsetOf = (id: bigint): number => positions[id.toString() as unknown as number] ?? 0;
  const nodes = new Map<string, Expr>();
  const unknown = checkNames(parsed.expr, new Set(), nodes);
  if (unknown) {
    // A method call's position is its dot; the name that is wrong starts after it.
    const at = offsetOf(unknown.expr.id);
    const offset = source[at] === '.' ? at + 1 : at;
    const message = unknown.kind === 'variable'
      ? `Column ${offset + 1}: "${unknown.name}" is no variable: use one of ${[...VARIABLE_NAMES].join(', ')}.`
      : `Column ${offset + 1}: CEL has no function "${unknown.name}".`;
    return { ok: false, problem: { offset, column: offset + 1, message } };
  }
  let run: (ctx: Record<string, CelInput>) => CelResult;
  try {
    run = plan(env, parsed) as (ctx: Record<string, CelInput>) => CelResult;
  } catch (e) {
    return { ok: false, problem: { offset: 0, column: 1, message: `Column 1: CEL cannot plan the expression: ${(e as Error).message}.` } };
  }
  const uses = new Set([...nodes.values()].flatMap((n) => (n.exprKind.case === 'identExpr' ? [n.exprKind.value.name] : [])));
  const usesEvent = uses.has('event');
  const skip = payloadPrefilter(parsed.expr);
  let evaluated = 0;
  const filter: CelFilter = {
    source,
    usesEvent,
    evaluate(message) {
      // The first messages are always evaluated whole, so that an expression that fails everywhere says why.
      if (skip && ++evaluated > FULL_EVALUATIONS && skip(message.data)) return { matched: false };
      const payload = usesEvent ? parsePayload(message) : undefined;
      let result: CelResult;
      try {
        result = run(celBindings(message, payload, uses));
      } catch (e) {
        return { matched: false, error: (e as Error).message };
      }
      if (isCelError(result)) {
        const at = result.exprId === undefined ? undefined : offsetOf(result.exprId);
        return { matched: false, error: failureReason(result.message, at, result.exprId, nodes, payload?.problem) };
      }
      if (typeof result === 'boolean') return { matched: result };
      return { matched: false, error: `the expression gave ${describe(result)}, not true or false` };
    },
  };
  return { ok: true, filter };
}

/** Messages evaluated whole before the prefilter may pass over messages it proves cannot match. */
const FULL_EVALUATIONS = 1000;

/**
 * For an expression that can only be true when the payload holds certain JSON strings (`event.a.b == "x"` joined by
 * &&), a test that proves a payload cannot match without parsing it: a payload with no backslash (so no JSON escape)
 * holds the string "x" only as the bytes `"x"`. Undefined when the expression needs no such string.
 */
function payloadPrefilter(expr: Expr | undefined): ((data: Uint8Array) => boolean) | undefined {
  const literals = requiredStrings(expr).filter(v => !/["\\\u0000-\u001f\u2028\u2029]/.test(v)).map(v => Buffer.from(JSON.stringify(v), 'utf8'));
  if (literals.length === 0) return undefined;
  return data => {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return literals.some(l => bytes.indexOf(l) < 0) && bytes.indexOf(BACKSLASH) < 0;
  };
}

const BACKSLASH = 0x5c;

/** The string constants the expression compares a field of `event` with, where the whole expression needs each. */
function requiredStrings(expr: Expr | undefined): string[] {
  const k = expr?.exprKind;
  if (k?.case !== 'callExpr') return [];
  const [a, b] = k.value.args;
  if (k.value.function === '_&&_') return [...requiredStrings(a), ...requiredStrings(b)];
  if (k.value.function !== '_==_') return [];
  const text = (e: Expr | undefined) => (e?.exprKind.case === 'constExpr' && e.exprKind.value.constantKind.case === 'stringValue' ? e.exprKind.value.constantKind.value : undefined);
  const value = text(a) ?? text(b);
  return value !== undefined && (onEvent(a) || onEvent(b)) ? [value] : [];
}

/** `event.x.y` (a field chain of the payload, not a test with has()). */
function onEvent(expr: Expr | undefined): boolean {
  for (let e = expr; e; ) {
    const k = e.exprKind;
    if (k.case === 'identExpr') return k.value.name === 'event';
    if (k.case !== 'selectExpr' || k.value.testOnly) return false;
    e = k.value.operand;
  }
  return false;
}

/** The first identifier that names no variable, or function CEL lacks, walking in source order. */
function checkNames(expr: Expr | undefined, bound: Set<string>, nodes: Map<string, Expr>): { kind: 'variable' | 'function'; name: string; expr: Expr } | undefined {
  if (!expr) return undefined;
  nodes.set(expr.id.toString(), expr);
  const k = expr.exprKind;
  switch (k.case) {
    case 'identExpr':
      return VARIABLE_NAMES.has(k.value.name) || TYPE_NAMES.has(k.value.name) || bound.has(k.value.name) ? undefined : { kind: 'variable', name: k.value.name, expr };
    case 'selectExpr':
      return checkNames(k.value.operand, bound, nodes);
    case 'callExpr': {
      const name = k.value.function;
      const named = /^[A-Za-z][A-Za-z0-9_.]*$/.test(name);
      const own = checkNames(k.value.target, bound, nodes);
      if (own) return own;
      for (const a of k.value.args) {
        const found = checkNames(a, bound, nodes);
        if (found) return found;
      }
      return named && !env.funcs.find(name) ? { kind: 'function', name, expr } : undefined;
    }
    case 'listExpr':
      for (const e of k.value.elements) {
        const found = checkNames(e, bound, nodes);
        if (found) return found;
      }
      return undefined;
    case 'structExpr':
      for (const e of k.value.entries) {
        const found = (e.keyKind.case === 'mapKey' ? checkNames(e.keyKind.value, bound, nodes) : undefined) ?? checkNames(e.value, bound, nodes);
        if (found) return found;
      }
      return undefined;
    case 'comprehensionExpr': {
      const c = k.value;
      const inner = new Set([...bound, c.iterVar, c.iterVar2, c.accuVar].filter((n) => n !== ''));
      return checkNames(c.iterRange, bound, nodes) ?? checkNames(c.accuInit, inner, nodes) ?? checkNames(c.loopCondition, inner, nodes)
        ?? checkNames(c.loopStep, inner, nodes) ?? checkNames(c.result, inner, nodes);
    }
    default:
      return undefined;
  }
}

/** CEL's evaluation error in the user's terms: which field or header, at which column, and why event is null. */
function failureReason(raw: string, offset: number | undefined, id: bigint | undefined, nodes: Map<string, Expr>, payloadProblem: string | undefined): string {
  const where = offset === undefined ? '' : ` at column ${offset + 1}`;
  const node = id === undefined ? undefined : nodes.get(id.toString());
  // A failure that comes from event being null is said as the payload's problem, not as its symptom.
  if (payloadProblem && (rootName(node) === 'event' || raw.includes('null_type'))) return `${payloadProblem}${where}`;
  const missing = /^field not found: (.*)$/.exec(raw);
  if (missing) {
    const k = node?.exprKind;
    const onHeaders = rootName(node) === 'headers' || (k?.case === 'callExpr' && k.value.function === '_[_]' && rootName(k.value.args[0]) === 'headers');
    return onHeaders
      ? `no header "${missing[1]}"${where} (test with "${missing[1]}" in headers)`
      : `no field "${missing[1]}"${where} (test with has(…))`;
  }
  const overload = /^found no matching overload for '(.*)' applied to '(.*)'$/.exec(raw);
  if (overload) return `type mismatch${where}: ${operatorName(overload[1]!)} does not apply to ${overload[2]}`;
  return `${raw}${where}`;
}

/** The variable a field or index chain starts from (event.data.x, headers["a"]). */
function rootName(node: Expr | undefined): string | undefined {
  for (let n = node; n; ) {
    const k = n.exprKind;
    if (k.case === 'identExpr') return k.value.name;
    if (k.case === 'selectExpr') n = k.value.operand;
    else if (k.case === 'callExpr' && k.value.function === '_[_]') n = k.value.args[0];
    else if (k.case === 'callExpr' && k.value.target) n = k.value.target;
    else return undefined;
  }
  return undefined;
}

function operatorName(fn: string): string {
  const op = /^_(.+)_$/.exec(fn);
  return op ? op[1]! : `${fn}()`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string "${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  if (typeof v === 'bigint' || typeof v === 'number') return `the number ${v}`;
  return 'a value';
}
