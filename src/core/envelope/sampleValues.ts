// Typed sample values for the field types domain definitions use (UUID, String, Money, Array<X>, ...).
import type { DomainField } from '../domain/model';
import type { JsonObject, JsonValue } from './types';

export interface SampleContext {
  now: Date;
  uuid: () => string;
  /** Values some fields must take, by field name, e.g. `order_id` -> the envelope's aggregate_id. */
  fixed?: Readonly<Record<string, JsonValue>>;
}

const WRAPPED = /^(?:Option|Optional|Maybe|Nullable)<(.+)>$/i;
const LIST = /^(?:Array|List|Vec|Set|Seq|Sequence)<(.+)>$/i;
const MAP = /^(?:Map|HashMap|Record|Dictionary|Dict)<.+>$/i;

/** A value of the type, or null when the type is unknown (a value object such as OrderItem). */
export function sampleValue(type: string, fieldName: string, ctx: SampleContext): JsonValue {
  const t = type.trim();
  const wrapped = WRAPPED.exec(t)?.[1] ?? (t.endsWith('?') ? t.slice(0, -1) : undefined);
  if (wrapped !== undefined) return sampleValue(wrapped, fieldName, ctx);
  const item = LIST.exec(t)?.[1] ?? (t.endsWith('[]') ? t.slice(0, -2) : undefined);
  if (item !== undefined) {
    const one = sampleValue(item, singular(fieldName), ctx);
    // One element shows the shape; an unknown element type would only show [null].
    return one === null ? [] : [one];
  }
  if (MAP.test(t)) return {};
  switch (t.toLowerCase().replace(/[^a-z0-9]/g, '')) {
    case 'uuid': case 'guid': case 'id':
      return ctx.uuid();
    case 'string': case 'str': case 'text':
      return sampleString(fieldName);
    case 'email':
      return 'customer@example.com';
    case 'url': case 'uri':
      return 'https://example.com';
    case 'integer': case 'int': case 'long': case 'short': case 'number':
    case 'i8': case 'i16': case 'i32': case 'i64': case 'u8': case 'u16': case 'u32': case 'u64': case 'usize':
      return 1;
    case 'decimal': case 'float': case 'double': case 'f32': case 'f64':
      return 1.5;
    case 'boolean': case 'bool':
      return true;
    case 'money':
      return { amount: 99.99, currency: 'USD' };
    case 'currency':
      return 'USD';
    case 'datetime': case 'timestamp': case 'instant': case 'zoneddatetime': case 'offsetdatetime':
      return ctx.now.toISOString();
    case 'date': case 'localdate':
      return ctx.now.toISOString().slice(0, 10);
    case 'time': case 'localtime':
      return ctx.now.toISOString().slice(11, 19);
    case 'duration':
      return 'PT1H';
    case 'object': case 'json': case 'map':
      return {};
    default:
      return null;
  }
}

/** An object with a sample for each field, in the definition's order. */
export function sampleData(fields: readonly DomainField[], ctx: SampleContext): JsonObject {
  const out: JsonObject = {};
  for (const f of fields) {
    if (Object.prototype.hasOwnProperty.call(out, f.name)) continue;
    const fixed = ctx.fixed && Object.prototype.hasOwnProperty.call(ctx.fixed, f.name) ? ctx.fixed[f.name] : undefined;
    setOwn(out, f.name, fixed !== undefined ? fixed : sampleValue(f.type, f.name, ctx));
  }
  return out;
}

/** A plain assignment to `__proto__` would change the prototype instead of adding the field. */
export function setOwn(obj: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function sampleString(fieldName: string): string {
  const name = fieldName.toLowerCase();
  if (name.includes('email')) return 'customer@example.com';
  if (name.includes('url') || name.includes('uri')) return 'https://example.com';
  if (name.includes('currency')) return 'USD';
  return `example ${name.replace(/[_-]+/g, ' ').trim() || 'text'}`;
}

function singular(name: string): string {
  return name.endsWith('s') ? name.slice(0, -1) : name;
}
