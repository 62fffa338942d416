// Whether a payload keeps its category's envelope (CIM-Start's fields, the id that equals the subject's last token)
// and carries the data fields the workspace's domain definition declares. Pure: warnings are data, one line each.
import type { CompiledAlgebra } from '../algebra/compiled';
import type { EnvelopeKind } from '../algebra/schema';
import { findCommand, findEvent, matchesDomain } from '../domain/lookup';
import type { DomainDefinition, DomainField } from '../domain/model';
import { parseSubject, type ParsedSubject } from '../subject/parse';
import { sameName } from '../text/names';
import { payloadText } from './payload';

type Rule = 'string' | 'timestamp' | 'number' | 'object';

interface FieldSpec {
  /** `metadata.correlation_id` for a field inside metadata. */
  path: string;
  rule: Rule;
  /** The subject token (by role) the field must equal, e.g. event_id. */
  equalsToken?: string;
}

/** CIM-Start's envelopes as its test script publishes them (the spec's envelope list), in its order. */
const ENVELOPE_FIELDS: Record<EnvelopeKind, readonly FieldSpec[]> = {
  'domain-event': [
    { path: 'event_id', rule: 'string', equalsToken: 'event_id' },
    { path: 'event_type', rule: 'string' },
    { path: 'aggregate_type', rule: 'string' },
    { path: 'aggregate_id', rule: 'string' },
    { path: 'domain', rule: 'string' },
    { path: 'timestamp', rule: 'timestamp' },
    { path: 'version', rule: 'number' },
    { path: 'data', rule: 'object' },
    { path: 'metadata', rule: 'object' },
    { path: 'metadata.correlation_id', rule: 'string' },
    { path: 'metadata.causation_id', rule: 'string' },
    { path: 'metadata.source', rule: 'string' },
  ],
  command: [
    { path: 'command_id', rule: 'string' },
    { path: 'command_type', rule: 'string' },
    { path: 'aggregate_type', rule: 'string' },
    { path: 'domain', rule: 'string' },
    { path: 'timestamp', rule: 'timestamp' },
    { path: 'data', rule: 'object' },
    { path: 'metadata', rule: 'object' },
    { path: 'metadata.correlation_id', rule: 'string' },
    { path: 'metadata.source', rule: 'string' },
  ],
  query: [
    { path: 'query_id', rule: 'string' },
    { path: 'query_type', rule: 'string' },
    { path: 'timestamp', rule: 'timestamp' },
    { path: 'data', rule: 'object' },
  ],
  projection: [
    { path: 'projection_id', rule: 'string' },
    { path: 'view_name', rule: 'string' },
    { path: 'operation', rule: 'string' },
    { path: 'timestamp', rule: 'timestamp' },
    { path: 'data', rule: 'object' },
  ],
  saga: [
    { path: 'saga_id', rule: 'string' },
    { path: 'process_name', rule: 'string' },
    { path: 'event_type', rule: 'string' },
    { path: 'timestamp', rule: 'timestamp' },
    { path: 'data', rule: 'object' },
  ],
  snapshot: [
    { path: 'aggregate_id', rule: 'string', equalsToken: 'aggregate_id' },
    { path: 'aggregate_type', rule: 'string' },
    { path: 'domain', rule: 'string' },
    { path: 'version', rule: 'number' },
    { path: 'timestamp', rule: 'timestamp' },
    { path: 'state', rule: 'object' },
  ],
  none: [],
};

const KIND_NAME: Record<EnvelopeKind, string> = {
  'domain-event': 'a domain event',
  command: 'a command',
  query: 'a query',
  projection: 'a projection',
  saga: 'a saga step',
  snapshot: 'a snapshot',
  none: 'a message',
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$/;

type Json = Record<string, unknown>;

/**
 * The ways `payload` (JSON text or its bytes) breaks the envelope of `subject`'s category, and the data fields that the
 * definitions declare for its event or command but it lacks. A subject outside every category (or of a category
 * without an envelope) has nothing to check.
 */
export function checkEnvelope(algebra: CompiledAlgebra, subject: string, payloadJson: string | Uint8Array, definitions: readonly DomainDefinition[] = []): string[] {
  const parsed = parseSubject(algebra, subject);
  const kind = parsed.category?.envelope ?? 'none';
  if (kind === 'none') return [];
  const what = KIND_NAME[kind];
  const text = typeof payloadJson === 'string' ? payloadJson : payloadText(payloadJson);
  if (text === undefined) return [`The payload is not text: ${what} carries a JSON envelope.`];
  if (text.trim() === '') return [`The payload is empty: ${what} carries a JSON envelope (${ENVELOPE_FIELDS[kind].filter(f => !f.path.includes('.')).map(f => f.path).join(', ')}).`];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [`The payload is not JSON: ${what} carries a JSON envelope.`];
  }
  if (!isObject(value)) return [`The payload is ${describeKind(value)}, not an object: ${what} carries a JSON envelope.`];

  const warnings: string[] = [];
  for (const field of ENVELOPE_FIELDS[kind]) {
    const [head, child] = field.path.split('.') as [string, string | undefined];
    if (child !== undefined && !isObject(value[head])) continue; // the missing or broken parent was said already
    const owner = child === undefined ? value : (value[head] as Json);
    const key = child ?? head;
    const token = field.equalsToken ? parsed.values[field.equalsToken] : undefined;
    if (!Object.prototype.hasOwnProperty.call(owner, key) || owner[key] === undefined) {
      const same = token ? `, equal to the subject's last token ${token}` : '';
      const inside = field.rule === 'object' && kind === 'domain-event' && key === 'metadata' ? ' { correlation_id, causation_id, source }' : field.rule === 'object' && kind === 'command' && key === 'metadata' ? ' { correlation_id, source }' : '';
      warnings.push(`Missing "${field.path}"${inside}: ${what}'s envelope carries it${same}.`);
      continue;
    }
    const problem = ruleProblem(field.rule, owner[key]);
    if (problem) {
      warnings.push(`"${field.path}" is ${problem}.`);
      continue;
    }
    if (token !== undefined && owner[key] !== token) warnings.push(`"${field.path}" is ${show(owner[key])}, not the subject's last token ${token}.`);
  }
  warnings.push(...subjectMismatches(kind, value, parsed, definitions));
  const missing = missingDataFields(kind, value, parsed, definitions);
  if (missing) warnings.push(missing);
  return warnings;
}

/** The tail's hook: the warnings for a received message's subject and bytes. */
export function envelopeChecker(algebra: CompiledAlgebra, definitions: readonly DomainDefinition[] = []): (subject: string, data: Uint8Array) => string[] {
  return (subject, data) => checkEnvelope(algebra, subject, data, definitions);
}

function ruleProblem(rule: Rule, v: unknown): string | undefined {
  switch (rule) {
    case 'string':
      if (typeof v !== 'string') return `${show(v)}, not a string`;
      return v.trim() === '' ? 'empty' : undefined;
    case 'timestamp':
      if (typeof v !== 'string') return `${show(v)}, not an ISO 8601 time such as 2026-12-01T09:30:00Z`;
      return ISO_TIME.test(v) && !Number.isNaN(new Date(v.replace(' ', 'T')).getTime()) ? undefined : `${show(v)}, not an ISO 8601 time such as 2026-12-01T09:30:00Z`;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : `${show(v)}, not a number`;
    case 'object':
      return isObject(v) ? undefined : `${describeKind(v)}, not an object`;
  }
}

/** Names in the envelope that contradict the subject's tokens (names compared whatever their case). */
function subjectMismatches(kind: EnvelopeKind, env: Json, parsed: ParsedSubject, definitions: readonly DomainDefinition[]): string[] {
  const v = parsed.values;
  const out: string[] = [];
  const check = (field: string, role: string, accepted: (value: string) => boolean, shown = v[role]) => {
    const value = env[field];
    if (typeof value !== 'string' || value.trim() === '' || v[role] === undefined) return;
    if (!accepted(value)) out.push(`"${field}" is ${show(value)}, but the subject's ${role} is ${shown}.`);
  };
  const sameAs = (role: string) => (value: string) => sameName(value, v[role]!);
  // A definition may name the domain by its name while subjects use its bounded context (example-business / sales).
  const domainOk = (value: string) => sameName(value, v.domain!) || definitions.some(d => matchesDomain(d, v.domain) && matchesDomain(d, value));
  const joined = (...roles: string[]) => roles.map(r => v[r] ?? '').join('-');
  switch (kind) {
    case 'domain-event': {
      check('domain', 'domain', domainOk);
      check('aggregate_type', 'aggregate', sameAs('aggregate'));
      const event = definedEvent(parsed, definitions)?.event;
      check('event_type', 'event', t => sameName(t, joined('aggregate', 'event')) || sameName(t, v.event!) || (event !== undefined && t === event.name), `${v.aggregate ?? '*'}.${v.event}`);
      break;
    }
    case 'command': {
      check('domain', 'domain', domainOk);
      check('aggregate_type', 'aggregate', sameAs('aggregate'));
      const command = definedCommand(parsed, definitions)?.command;
      check('command_type', 'action', t => sameName(t, joined('action', 'aggregate')) || sameName(t, joined('aggregate', 'action')) || sameName(t, v.action!) || (command !== undefined && t === command.name), `${v.aggregate ?? '*'}.${v.action}`);
      break;
    }
    case 'snapshot':
      check('domain', 'domain', domainOk);
      check('aggregate_type', 'aggregate', sameAs('aggregate'));
      break;
    case 'projection':
      check('view_name', 'view', sameAs('view'));
      check('operation', 'operation', sameAs('operation'));
      break;
    case 'saga':
      check('process_name', 'process', sameAs('process'));
      break;
    default:
      break;
  }
  return out;
}

function definedEvent(parsed: ParsedSubject, definitions: readonly DomainDefinition[]) {
  const { domain, aggregate, event } = parsed.values;
  if (!aggregate || !event) return undefined;
  for (const def of definitions) {
    const found = findEvent(def, domain, aggregate, event);
    if (found) return { def, event: found };
  }
  return undefined;
}

function definedCommand(parsed: ParsedSubject, definitions: readonly DomainDefinition[]) {
  const { domain, aggregate, action } = parsed.values;
  if (!aggregate || !action) return undefined;
  for (const def of definitions) {
    const found = findCommand(def, domain, aggregate, action);
    if (found) return { def, command: found };
  }
  return undefined;
}

/** The fields the definition declares for the subject's event (or a command that lists its own) that `data` lacks, in one line. */
function missingDataFields(kind: EnvelopeKind, env: Json, parsed: ParsedSubject, definitions: readonly DomainDefinition[]): string | undefined {
  const data = env.data;
  if (!isObject(data)) return undefined;
  let declared: { name: string; fields: readonly DomainField[]; def: DomainDefinition } | undefined;
  if (kind === 'domain-event') {
    const found = definedEvent(parsed, definitions);
    if (found) declared = { name: found.event.name, fields: found.event.fields, def: found.def };
  } else if (kind === 'command') {
    const found = definedCommand(parsed, definitions);
    if (found?.command.fields) declared = { name: found.command.name, fields: found.command.fields, def: found.def };
  }
  if (!declared) return undefined;
  const missing = declared.fields.filter(f => !Object.prototype.hasOwnProperty.call(data, f.name));
  if (missing.length === 0) return undefined;
  const list = missing.map(f => `${f.name} (${f.type})`);
  const names = list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} and ${list.at(-1)!}`;
  return `"data" lacks ${names}, which ${declared.name} declares in the ${declared.def.name} domain definition.`;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v} (${show(v)})`;
}

/** A value as JSON, cut to a few dozen characters so a warning stays one short line. */
function show(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 48 ? `${s.slice(0, 45)}…` : s;
}
