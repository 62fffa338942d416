// Checks of one token against its rule in the algebra (name case, UUID, enum, environment).
import type { CompiledAlgebra } from '../algebra/compiled';
import type { TokenSpec } from '../algebra/schema';
import { problem, type Fix, type Problem, type Span } from '../problem';
import { nearest } from './nearest';
import { toNameToken } from '../text/names';
import { UUID_ANY_CASE_RE, UUID_RE } from '../text/patterns';


/** 0 = not a UUID, 1 = canonical (lowercase 8-4-4-4-12), 2 = a UUID with uppercase hex. */
export function uuidForm(t: string): 0 | 1 | 2 {
  if (UUID_RE.test(t)) return 1;
  return UUID_ANY_CASE_RE.test(t) ? 2 : 0;
}

/** Name rule without a regex on the hot path: [a-z0-9]+ joined by single separators. */
export function isName(t: string, sep: number): boolean {
  if (t.length === 0) return false;
  let prevSep = true;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) prevSep = false;
    else if (c === sep && !prevSep) prevSep = true;
    else return false;
  }
  return !prevSep;
}

export interface TokenCheckContext {
  algebra: CompiledAlgebra;
  newUuid: () => string;
}

const replace = (title: string, span: Span, newText: string): Fix => ({ title, start: span.start, end: span.end, newText });

/** Checks `text` (starting at offset `start`) against its rule; spans are built only for problems. */
export function checkToken(ctx: TokenCheckContext, spec: TokenSpec, text: string, start: number, out: Problem[]): void {
  const { algebra } = ctx;
  switch (spec.rule) {
    case 'free':
      return;
    case 'name': {
      if (isName(text, algebra.nameCase === 'kebab' ? 45 : 95)) return;
      const span: Span = { start, end: start + text.length };
      const converted = toNameToken(text, algebra.nameCase);
      // a rename that would drop letters (é, ß, …) is no fix: the author must choose the ASCII spelling
      const fixed = converted.replace(/[-_]/g, '') === text.toLowerCase().replace(/[^a-z0-9]/g, '') && /^[\x20-\x7e]*$/.test(text) ? converted : '';
      const example = algebra.nameCase === 'kebab' ? 'order-summary' : 'order_summary';
      const why = text.includes('*') ? ' (* is a wildcard only as a whole token)' : '';
      out.push(problem('algebra/name-rule', 'error', span, `The ${spec.role} "${text}" is not a ${algebra.nameCase}-case name${why}: write it as ${fixed && fixed !== text ? `"${fixed}"` : `lowercase words joined by ${algebra.nameCase === 'kebab' ? '-' : '_'}, e.g. ${example}`}.`,
        fixed && fixed !== text ? [replace(`Rename to "${fixed}"`, span, fixed)] : []));
      return;
    }
    case 'uuid': {
      const form = uuidForm(text);
      if (form === 1) return;
      const span: Span = { start, end: start + text.length };
      if (form === 2) {
        out.push(problem('algebra/uuid-not-canonical', 'warning', span, `The ${spec.role} "${text}" is a UUID in uppercase: the canonical form is lowercase.`, [replace('Lowercase the UUID', span, text.toLowerCase())]));
        return;
      }
      out.push(problem('algebra/uuid-rule', 'error', span, `The ${spec.role} "${text}" is not a UUID: use a lowercase 8-4-4-4-12 UUID such as 550e8400-e29b-41d4-a716-446655440000.`, [replace('Replace with a new UUID', span, ctx.newUuid())]));
      return;
    }
    case 'enum':
    case 'environment': {
      const values = spec.rule === 'environment' ? algebra.environments : new Set(spec.values);
      if (values.has(text)) return;
      const span: Span = { start, end: start + text.length };
      const near = nearest(text, values);
      const code = spec.rule === 'environment' ? 'algebra/unknown-environment' : 'algebra/enum-rule';
      const list = [...values].join(', ');
      const what = spec.rule === 'environment' ? 'environment' : spec.role;
      out.push(problem(code, 'error', span, near.length ? `Unknown ${what} "${text}": did you mean "${near[0]}"? (known: ${list})` : `Unknown ${what} "${text}": use one of ${list}.`,
        (near.length ? near : [...values]).slice(0, 3).map(v => replace(`Replace with "${v}"`, span, v))));
      return;
    }
  }
}
