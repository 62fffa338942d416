// Subject -> tokens with their role in the algebra.
import type { CompiledAlgebra } from '../algebra/compiled';
import type { CategorySpec, TokenSpec } from '../algebra/schema';
import { tokenize, type SubjectToken } from './tokens';

export interface RoledToken extends SubjectToken {
  /** The role the algebra gives this position (`env`, `category`, `domain`, ...), when known. */
  role?: string;
  spec?: TokenSpec;
}

export interface ParsedSubject {
  subject: string;
  tokens: RoledToken[];
  /** The category, when the token at the category position names one. */
  category?: CategorySpec;
  /** Token values by role, e.g. { env: 'dev', domain: 'sales' } (wildcards left out). */
  values: Record<string, string>;
  /** The tokens the category expects after the prefix and the category token. */
  expectedLength?: number;
}

export const CATEGORY_ROLE = 'category';

export function parseSubject(algebra: CompiledAlgebra, subject: string): ParsedSubject {
  const tokens: RoledToken[] = tokenize(subject);
  const values: Record<string, string> = {};
  const ci = algebra.categoryIndex;
  const prefix = algebra.spec.prefix;
  for (let i = 0; i < Math.min(ci, tokens.length); i++) {
    const t = tokens[i]!;
    t.spec = prefix[i];
    t.role = prefix[i]!.role;
  }
  const catTok = tokens[ci];
  let category: CategorySpec | undefined;
  if (catTok) {
    catTok.role = CATEGORY_ROLE;
    category = algebra.categories.get(catTok.text);
    if (category) {
      for (let j = 0; j < category.tokens.length && ci + 1 + j < tokens.length; j++) {
        const t = tokens[ci + 1 + j]!;
        t.spec = category.tokens[j];
        t.role = category.tokens[j]!.role;
      }
    }
  }
  for (const t of tokens) if (t.role && !t.wildcard && t.text) values[t.role] ??= t.text;
  const parsed: ParsedSubject = { subject, tokens, values };
  if (category) {
    parsed.category = category;
    parsed.expectedLength = ci + 1 + category.tokens.length;
  }
  return parsed;
}
