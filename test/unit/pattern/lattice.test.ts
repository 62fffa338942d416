import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EMPTY_PATTERN, isValidPattern, join, matches, meet, meetWithin, overlap, subset } from '../../../src/core/pattern';
import { anyPattern, pattern, subject } from './arbitraries';

/** ⊓ over a null (no subject) stays null, so associativity can be stated. */
function meetN(p: string | null, q: string | null): string | null {
  return p === null || q === null ? null : meet(p, q);
}

/** ⊑ where null is the empty set. */
function subsetN(p: string | null, q: string | null): boolean {
  if (p === null) return true;
  return q === null ? subset(p, EMPTY_PATTERN) : subset(p, q);
}

function matchesN(p: string | null, s: string): boolean {
  return p !== null && matches(p, s);
}

const UUID = '550e8400-e29b-41d4-a716-446655440000';

describe('pattern lattice', () => {
  describe('examples', () => {
    it('joins to the most specific pattern over both', () => {
      assert.equal(join('a.b.c.x', 'a.b.c.y'), 'a.b.c.*');
      assert.equal(join('a.b', 'a.b.c'), 'a.>');
      assert.equal(join('a.b.c', 'a.b.c'), 'a.b.c');
      assert.equal(join('a.*', 'a.b'), 'a.*');
      assert.equal(join('a.*', 'a.>'), 'a.>');
      assert.equal(join('a.b.>', 'a.c.d.e'), 'a.*.>');
      assert.equal(join('a', 'b.c'), '>');
      assert.equal(join('dev.domain.sales.>', 'prod.domain.sales.>'), '*.domain.sales.>');
      assert.equal(join('dev.domain.sales.order.>', 'dev.domain.sales.>'), 'dev.domain.sales.>');
    });

    it('meets to the intersection or null', () => {
      assert.equal(meet('a.b.>', 'a.b.c.*'), 'a.b.c.*');
      assert.equal(meet('*.domain.sales.>', 'dev.domain.>'), 'dev.domain.sales.>');
      assert.equal(meet('a.*', 'a.>'), 'a.*');
      assert.equal(meet('>', '>'), '>');
      assert.equal(meet('a.b', 'a.c'), null);
      assert.equal(meet('a.b', 'a.b.c'), null);
      assert.equal(meet('a.>', 'a'), null);
      assert.ok(overlap('*.domain.sales.>', 'dev.domain.*.order.>'));
      assert.ok(!overlap('dev.domain.sales.>', 'dev.command.sales.>'));
    });

    it('orders a consumer filter under its stream', () => {
      assert.ok(subset('dev.domain.sales.*.created.*', 'dev.domain.sales.>'));
      assert.ok(subset('dev.domain.sales.>', '*.domain.sales.>'));
      assert.ok(subset(`dev.domain.sales.order.created.${UUID}`, 'dev.domain.sales.*.created.*'));
      assert.ok(subset('a.*', 'a.>'));
      assert.ok(!subset('a.>', 'a.*'));
      assert.ok(!subset('a.*', 'a.b'));
      assert.ok(!subset('a', 'a.>'));
      assert.ok(!subset('*.domain.sales.>', 'dev.domain.sales.>'));
    });

    it('gives what of a consumer filter its stream can hold: the meets, none when it could never match', () => {
      // the guide's filter is wider than the stream: it can only ever see the meet
      assert.deepEqual(meetWithin('*.domain.sales.order.>', ['dev.domain.sales.>']), ['dev.domain.sales.order.>']);
      assert.deepEqual(meetWithin('dev.domain.sales.order.>', ['dev.domain.sales.>']), ['dev.domain.sales.order.>']);
      assert.deepEqual(meetWithin('prod.domain.sales.>', ['dev.domain.sales.>']), []);
      assert.deepEqual(meetWithin('*.domain.sales.>', ['dev.domain.sales.>', 'test.domain.sales.>', 'dev.domain.>']), ['dev.domain.sales.>', 'test.domain.sales.>']);
      assert.deepEqual(meetWithin('dev.>', ['dev.domain.sales.order.>', 'dev.domain.sales.>']), ['dev.domain.sales.>']);
      assert.deepEqual(meetWithin('a.>', []), []);
    });

    it('reads an invalid pattern as the empty set', () => {
      assert.equal(join('a..b', 'a.b'), 'a.b');
      assert.equal(join('a.b', ''), 'a.b');
      assert.equal(join('a..b', 'a.>.b'), EMPTY_PATTERN);
      assert.equal(meet('a..b', '>'), null);
      assert.ok(subset('a b', 'a.b'));
      assert.ok(!subset('a.b', 'a..b'));
    });
  });

  describe('laws', () => {
    it('⊔ is commutative, associative and idempotent', () => {
      fc.assert(fc.property(anyPattern, anyPattern, (p, q) => join(p, q) === join(q, p)));
      fc.assert(fc.property(anyPattern, anyPattern, anyPattern, (p, q, r) => join(join(p, q), r) === join(p, join(q, r))));
      fc.assert(fc.property(pattern, (p) => join(p, p) === p));
    });

    it('⊓ is commutative, associative (null absorbing) and idempotent', () => {
      fc.assert(fc.property(anyPattern, anyPattern, (p, q) => meet(p, q) === meet(q, p)));
      fc.assert(
        fc.property(anyPattern, anyPattern, anyPattern, (p, q, r) => meetN(meet(p, q), r) === meetN(p, meet(q, r))),
      );
      fc.assert(fc.property(pattern, (p) => meet(p, p) === p));
    });

    it('p ⊔ q is an upper bound of both, and the least one', () => {
      fc.assert(fc.property(anyPattern, anyPattern, (p, q) => subset(p, join(p, q)) && subset(q, join(p, q))));
      fc.assert(
        fc.property(anyPattern, anyPattern, anyPattern, (p, q, r) => !(subset(p, r) && subset(q, r)) || subset(join(p, q), r)),
      );
    });

    it('p ⊓ q is a lower bound of both, and the greatest one', () => {
      fc.assert(fc.property(anyPattern, anyPattern, (p, q) => subsetN(meet(p, q), p) && subsetN(meet(p, q), q)));
      fc.assert(
        fc.property(anyPattern, anyPattern, anyPattern, (p, q, r) => !(subset(r, p) && subset(r, q)) || subsetN(r, meet(p, q))),
      );
    });

    it('absorption ties ⊔ and ⊓ together', () => {
      fc.assert(fc.property(pattern, pattern, (p, q) => join(p, meetN(p, q) ?? EMPTY_PATTERN) === p));
      fc.assert(fc.property(pattern, pattern, (p, q) => meet(p, join(p, q)) === p));
    });

    it('⊓ matches exactly the subjects both match', () => {
      fc.assert(
        fc.property(anyPattern, anyPattern, subject, (p, q, s) => matchesN(meet(p, q), s) === (matches(p, s) && matches(q, s))),
      );
    });

    it('meetWithin matches exactly the subjects the filter and one of the patterns match, none of its meets inside another', () => {
      fc.assert(
        fc.property(anyPattern, fc.array(anyPattern, { maxLength: 4 }), subject, (p, qs, s) => {
          const m = meetWithin(p, qs);
          const minimal = m.every((x, i) => m.every((y, j) => i === j || !subset(x, y)));
          return minimal && m.some(x => matches(x, s)) === (matches(p, s) && qs.some(q => matches(q, s)));
        }),
      );
    });

    it('⊔ matches every subject either matches', () => {
      fc.assert(
        fc.property(anyPattern, anyPattern, subject, (p, q, s) => !(matches(p, s) || matches(q, s)) || matches(join(p, q), s)),
      );
    });

    it('⊑ means every subject of p is a subject of q', () => {
      fc.assert(fc.property(anyPattern, anyPattern, subject, (p, q, s) => !subset(p, q) || !matches(p, s) || matches(q, s)));
    });

    it('⊑ agrees with ⊓, and a subject is ⊑ a pattern exactly when it matches', () => {
      fc.assert(fc.property(pattern, anyPattern, (p, q) => subset(p, q) === (meet(p, q) === p)));
      fc.assert(fc.property(anyPattern, subject, (p, s) => subset(s, p) === matches(p, s)));
    });

    it('⊑ is a partial order', () => {
      fc.assert(fc.property(anyPattern, (p) => subset(p, p)));
      fc.assert(fc.property(pattern, pattern, (p, q) => !(subset(p, q) && subset(q, p)) || p === q));
      fc.assert(fc.property(anyPattern, anyPattern, anyPattern, (p, q, r) => !(subset(p, q) && subset(q, r)) || subset(p, r)));
    });

    it('never throws on any string', () => {
      const s = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));
      fc.assert(
        fc.property(s, s, (p, q) => {
          const j = join(p, q);
          const m = meet(p, q);
          subset(p, q);
          return (j === EMPTY_PATTERN || isValidPattern(j)) && (m === null || isValidPattern(m));
        }),
      );
    });
  });
});
