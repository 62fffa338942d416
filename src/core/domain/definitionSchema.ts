// The shape of domains/<name>/domain-definition.yaml (CIM-Start). Each message completes "<path> ..." into one
// sentence that names the problem and its fix; unknown keys (policies, workflows, ...) pass untouched.
import { z } from 'zod';

/** How a YAML value reads in a message: "a number", "a list", ... */
export function describeValue(v: unknown): string {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return 'text';
  if (typeof v === 'boolean') return `${v}`;
  return `a ${typeof v}`;
}

function wrong(input: unknown, expected: string, fix: string): string {
  if (input === undefined) return `is missing: ${fix}`;
  if (input === null) return `is empty: ${fix}`;
  return `is ${describeValue(input)} instead of ${expected}: ${fix}`;
}

function text(fix: string) {
  return z.string({ error: iss => wrong(iss.input, 'text', fix) }).trim().min(1, { error: `is empty: ${fix}` });
}

/** Ids such as E004; a bare number (`id: 4`) is read as its text. */
function id(fix: string) {
  return z.preprocess(v => (typeof v === 'number' ? String(v) : v), text(fix));
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mapping<T extends z.ZodRawShape>(shape: T, fix: string) {
  return z.looseObject(shape, { error: iss => wrong(iss.input, 'a mapping', fix) });
}

/** A list; an empty key (`events:`) is an empty list. */
export function list(fix: string) {
  return z.preprocess(v => (v === null ? [] : v), z.array(z.unknown(), { error: iss => wrong(iss.input, 'a list', fix) }));
}

const FIELD_FIX = 'write each field as "- order_id: UUID"';

export const FieldTypeSchema = text('give the field a type such as UUID, String, Integer, Money or DateTime');

/** The long form of a field, `- { name: order_id, type: UUID }`; the short form `- order_id: UUID` is one key. */
export const FieldSchema = z.object(
  { name: text(FIELD_FIX), type: FieldTypeSchema },
  { error: iss => wrong(iss.input, 'one "name: Type" pair', FIELD_FIX) },
);

/** Fields as a list of pairs, or as one mapping of name to type. */
export const FieldListSchema = z.preprocess(
  v => (isPlainObject(v) ? Object.entries(v).map(([k, t]) => ({ [k]: t })) : v),
  list(FIELD_FIX),
);

const DESCRIPTION = text('write the description as text').optional();

export const DomainSectionSchema = z.preprocess(
  v => (typeof v === 'string' ? { name: v } : v),
  mapping(
    {
      name: text('give the domain a name such as example-business'),
      bounded_context: text('name the bounded context such as sales, or leave it out').optional(),
      description: DESCRIPTION,
    },
    'start the file with "domain:" holding a name such as example-business',
  ),
);

export const AggregateSchema = z.preprocess(
  v => (typeof v === 'string' ? { name: v } : v),
  mapping(
    {
      id: id('give the aggregate an id such as A001, or leave it out').optional(),
      name: text('give every aggregate a PascalCase name such as Order'),
      description: DESCRIPTION,
    },
    'write each aggregate as a mapping with a name such as Order',
  ),
);

export const EventSchema = mapping(
  {
    id: id('give every event an id such as E004').optional(),
    name: text('give every event a PascalCase name such as OrderPlaced'),
    aggregate: text('name the aggregate the event belongs to, such as Order'),
    description: DESCRIPTION,
    data: FieldListSchema.optional(),
    fields: FieldListSchema.optional(),
  },
  'write each event as a mapping with id, name, aggregate and data',
);

export const CommandSchema = mapping(
  {
    id: id('give every command an id such as C001').optional(),
    name: text('give every command a PascalCase name such as RegisterCustomer'),
    aggregate: text('name the aggregate the command is sent to, such as Customer, or leave it out').optional(),
    description: DESCRIPTION,
    produces_events: z
      .preprocess(
        v => (typeof v === 'string' || typeof v === 'number' ? [v] : v),
        list('list the ids of the events it produces, such as [E001]').pipe(z.array(id('name each event by its id, such as E001'))),
      )
      .optional(),
    data: FieldListSchema.optional(),
  },
  'write each command as a mapping with id, name and produces_events',
);

export const SECTION_FIX = {
  events: 'write events as a list of "- id: E001" entries',
  commands: 'write commands as a list of "- id: C001" entries',
  aggregates: 'write aggregates as a list of "- name: Order" entries',
} as const;
