// A sample message for one subject, ready to publish or to edit: the category's envelope with fresh ids, the identity
// headers, and the .nats PUB block the message formatter writes for it (the block is what the runner sends).
import { randomUUID } from 'node:crypto';
import type { CompiledAlgebra } from '../algebra/compiled';
import { findCommand, findEvent, findEventByName, matchesDomain } from '../domain/lookup';
import type { DomainDefinition } from '../domain/model';
import { messageAsNatsBlock } from '../message/format';
import { parseSubject, type ParsedSubject } from '../subject/parse';
import { validateSubject } from '../subject/validate';
import { envelopeHeaders, messageIdOf } from './headers';
import { sampleEnvelope, type SampleEnvelopeOptions } from './sampleEnvelope';
import type { SampleEnvelope } from './types';

export interface SampleDraft {
  subject: string;
  envelope: SampleEnvelope;
  /** In the order the block writes them. */
  headers: [string, string][];
  /** The envelope's own id (event_id for an event): the Nats-Msg-Id a JetStream publish carries. */
  messageId?: string;
  /** The definition whose fields filled `data`, by name. */
  definition?: string;
  /** `### subject`, `PUB subject`, the headers and the envelope as the body. */
  block: string;
}

export type DraftResult = { ok: true; draft: SampleDraft } | { ok: false; problem: string };

export interface DraftOptions extends Omit<SampleEnvelopeOptions, 'definition'> {
  definitions?: readonly DomainDefinition[];
}

/** The definition that describes the subject's event (or command, or saga step), else the one of its domain. */
export function definitionFor(definitions: readonly DomainDefinition[], parsed: ParsedSubject): DomainDefinition | undefined {
  const v = parsed.values;
  const describes = (d: DomainDefinition) =>
    (v.aggregate !== undefined && v.event !== undefined && findEvent(d, v.domain, v.aggregate, v.event) !== undefined) ||
    (v.aggregate !== undefined && v.action !== undefined && findCommand(d, v.domain, v.aggregate, v.action) !== undefined) ||
    (v.process !== undefined && v.event !== undefined && findEventByName(d, v.event) !== undefined);
  return definitions.find(describes) ?? (v.domain !== undefined ? definitions.find(d => matchesDomain(d, v.domain)) : undefined);
}

/** The sample for a subject to publish to, or the one sentence why there is none (the algebra refuses the subject). */
export function sampleDraft(algebra: CompiledAlgebra, subject: string, options: DraftOptions = {}): DraftResult {
  const problem = validateSubject(algebra, subject, { style: false }).find(p => p.severity === 'error');
  if (problem) return { ok: false, problem: `"${subject}" is not a subject to publish to: ${lowerFirst(problem.message)}` };
  const parsed = parseSubject(algebra, subject);
  const { definitions = [], ...rest } = options;
  const definition = definitionFor(definitions, parsed);
  const envelope = sampleEnvelope(parsed, { ...rest, ...(definition ? { definition } : {}) });
  const headerMap = envelopeHeaders(envelope, parsed);
  const messageId = messageIdOf(envelope, parsed.category?.envelope ?? 'none');
  // The runner takes Nats-Msg-Id from an event subject's last token: written out, the formatter would call it a copy's.
  const last = subject.slice(subject.lastIndexOf('.') + 1);
  const headers = Object.entries(headerMap).filter(([name, value]) => !(name === 'Nats-Msg-Id' && value === last));
  const data = new TextEncoder().encode(JSON.stringify(envelope));
  const block = messageAsNatsBlock({ subject, headers, data, size: data.length });
  const draft: SampleDraft = { subject, envelope, headers, block };
  if (messageId) draft.messageId = messageId;
  if (definition) draft.definition = definition.name;
  return { ok: true, draft };
}

/**
 * The subject with a fresh id in its last token when its category ends in the message's own id (an event's event_id),
 * so a sample from a literal is a new message, not a duplicate of the one the code names. Other subjects stay as they are.
 */
export function withFreshMessageId(algebra: CompiledAlgebra, subject: string, uuid: () => string = randomUUID): string {
  const parsed = parseSubject(algebra, subject);
  const category = parsed.category;
  const lastSpec = category?.tokens[category.tokens.length - 1];
  if (!category || lastSpec?.rule !== 'uuid' || category.envelope === 'snapshot' || parsed.tokens.length !== parsed.expectedLength) return subject;
  return `${subject.slice(0, subject.lastIndexOf('.'))}.${uuid()}`;
}

/**
 * The draft as text to add to a playbook: after `existing` (the document's text) it starts a block of its own,
 * with a blank line between; `connection` adds `@connection = NAME` to a new playbook so its lens sends there.
 */
export function draftInsertion(block: string, existing: string, connection?: string): string {
  if (existing.trim() === '') return connection ? `@connection = ${connection}\n\n${block}` : block;
  const sep = existing.endsWith('\n\n') ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
  return sep + block;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
