// What the expression input of Find Messages offers as the user types: the variable a word starts, the envelope's
// fields after `event.`, and the documented examples when the input is empty. Each suggestion says what the input
// becomes when it is taken.
import { CEL_VARIABLES } from './celVariables';

export interface CelSuggestion {
  label: string;
  description: string;
  detail?: string;
  /** The whole input after taking the suggestion. */
  value: string;
}

/** The fields of the CIM envelopes (spec: subject-algebra.md), with what each holds. */
const ENVELOPE_FIELDS: [string, string][] = [
  ['event_id', 'domain event id (a UUID, the subject\'s last token)'],
  ['event_type', 'domain event type, e.g. OrderPlaced'],
  ['aggregate_type', 'the aggregate, e.g. order'],
  ['aggregate_id', 'the aggregate\'s id (a UUID)'],
  ['domain', 'the domain'],
  ['version', 'the aggregate\'s version after the event'],
  ['timestamp', 'when it happened (ISO 8601 text)'],
  ['data', 'the payload\'s own fields'],
  ['metadata', 'correlation_id, causation_id, source'],
  ['command_id', 'command id'],
  ['command_type', 'command type, e.g. PlaceOrder'],
  ['saga_id', 'saga id'],
  ['process_name', 'the saga\'s process'],
  ['projection_id', 'projection id'],
  ['view_name', 'the projection\'s view'],
  ['state', 'a snapshot\'s state'],
];
const METADATA_FIELDS: [string, string][] = [
  ['correlation_id', 'the conversation the message belongs to'],
  ['causation_id', 'the message that caused it'],
  ['source', 'who sent it'],
];

export function celSuggestions(value: string): CelSuggestion[] {
  if (value.trim() === '') {
    return CEL_VARIABLES.map(v => ({ label: v.example, description: `${v.name}: ${v.type}`, detail: v.description, value: v.example }));
  }
  const field = /(^|[^A-Za-z0-9_.])event\.(metadata\.)?([A-Za-z_][A-Za-z0-9_]*)?$/.exec(value);
  if (field) {
    const partial = field[3] ?? '';
    const fields = field[2] ? METADATA_FIELDS : ENVELOPE_FIELDS;
    const start = value.length - partial.length;
    return fields
      .filter(([name]) => name.startsWith(partial) && name !== partial)
      .map(([name, what]) => ({ label: name, description: what, value: value.slice(0, start) + name }));
  }
  const word = /(^|[^A-Za-z0-9_."])([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
  if (!word) return [];
  const partial = word[2]!;
  const start = value.length - partial.length;
  return CEL_VARIABLES
    .filter(v => v.name.startsWith(partial) && v.name !== partial)
    .map(v => ({ label: v.name, description: v.type, detail: `${v.description} e.g. ${v.example}`, value: value.slice(0, start) + v.name }));
}
