// Generators over a small token alphabet, so patterns and subjects collide often.
import fc from 'fast-check';

const LITERALS = ['a', 'b', 'c'];

/** Valid patterns: 1-5 tokens from a, b, c, `*`, optionally ending in `>`. */
export const pattern: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.constantFrom(...LITERALS, '*'), { minLength: 0, maxLength: 5 }), fc.boolean())
  .map(([tokens, rest]) => (rest || tokens.length === 0 ? [...tokens, '>'] : tokens).join('.'));

/** Concrete subjects: `d` is outside the pattern alphabet, standing for every other token. */
export const subject: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...LITERALS, 'd'), { minLength: 1, maxLength: 7 })
  .map((tokens) => tokens.join('.'));

/** Strings that break the token rules, each a distinct kind of mistake. */
export const invalid: fc.Arbitrary<string> = fc.constantFrom('', '.', 'a.', '.a', 'a..b', 'a.>.b', '>.a', 'a b', 'a.\tb', 'a.b\n');

/** Mostly valid patterns, sometimes invalid ones, which denote no subject at all. */
export const anyPattern: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: pattern },
  { weight: 1, arbitrary: invalid },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

/** Short strings over the characters that matter to the token rules. */
export const tokenSoup: fc.Arbitrary<string> = fc
  .array(fc.constantFrom('a', 'b', '*', '>', '.', ' ', '\t', 'a*'), { maxLength: 8 })
  .map((parts) => parts.join(''));
