// The data a `.nats` playbook parses into: plain offsets into the document text, no editor types.
import type { Problem, Span } from '../problem';

export type Verb = 'PUB' | 'SUB' | 'REQ';
export const VERBS: readonly Verb[] = ['PUB', 'SUB', 'REQ'];

/** The names `{{...}}` resolves without a definition; a file variable of the same name replaces one. */
export const BUILTIN_VARIABLES = ['uuid', 'now', 'env'] as const;

/** An `@name = value` line. */
export interface VariableDef {
  name: string;
  /** The raw value, right-trimmed; it may hold `{{...}}` uses of earlier variables. */
  value: string;
  range: Span;
  nameRange: Span;
  valueRange: Span;
  /** Defined before the file's first verb: visible to the end of the file, not only its block. */
  fileLevel: boolean;
}

/** A `{{name}}` in a subject, header value, body or variable value. */
export interface VariableUse {
  name: string;
  /** The whole `{{name}}`. */
  range: Span;
  /** The definition it resolves to; absent for built-ins and undefined names. */
  definition?: VariableDef;
}

export interface Header {
  name: string;
  value: string;
  range: Span;
  nameRange: Span;
  valueRange: Span;
}

/** A `key=value` word after the subject on the verb line, e.g. `timeout=2s`. */
export interface VerbOption {
  name: string;
  value: string;
  range: Span;
  nameRange: Span;
  valueRange: Span;
}

export interface PlaybookBlock {
  /** From the block's `###` line (or the start of the text) to the next one (or the end). */
  range: Span;
  title?: string;
  titleRange?: Span;
  verb: Verb;
  verbRange: Span;
  /** The raw subject text, `{{vars}}` unexpanded; '' when missing (a `playbook/missing-subject` problem says so). */
  subject: string;
  subjectRange: Span;
  options: VerbOption[];
  /** REQ only: the `timeout=` option in milliseconds, when given and valid. */
  timeoutMs?: number;
  headers: Header[];
  body?: { text: string; range: Span };
  /** The definitions visible at the verb line, in definition order; a later one of a name replaces an earlier one. */
  variablesInScope: VariableDef[];
}

export interface Playbook {
  blocks: PlaybookBlock[];
  variables: VariableDef[];
  variableUses: VariableUse[];
  problems: Problem[];
}

export interface Builtins {
  /** The configured default environment. */
  env: string;
  /** Called once per `{{uuid}}` use: each use gets a fresh one. */
  uuid: () => string;
  /** An ISO 8601 timestamp. */
  now: () => string;
}

/** Definitions (evaluated on each call) or values from `evaluateScope` (shared across calls, so one send sees one value). */
export type Scope = readonly VariableDef[] | ReadonlyMap<string, string>;
