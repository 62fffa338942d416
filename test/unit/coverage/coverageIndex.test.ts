import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CoverageIndex, coveredBy, layoutFromServer, type LayoutStream, type StreamLayout } from '../../../src/core/coverage';
import { matches, meet } from '../../../src/core/pattern';

// A small alphabet so patterns collide often, and a universe of subjects small enough to enumerate:
// patterns hold at most 5 tokens, and a subject one token longer than every pattern stands for all longer ones.
const LITERALS = ['a', 'b'];
const FRESH = 'z';
const pattern = fc
  .tuple(fc.array(fc.constantFrom(...LITERALS, '*'), { minLength: 0, maxLength: 4 }), fc.boolean())
  .map(([tokens, rest]) => (rest || tokens.length === 0 ? [...tokens, '>'] : tokens).join('.'));
const concrete = fc.array(fc.constantFrom(...LITERALS, FRESH), { minLength: 1, maxLength: 6 }).map(t => t.join('.'));
const UNIVERSE: string[] = (() => {
  const out: string[] = [];
  let level = [''];
  for (let n = 1; n <= 6; n++) {
    level = level.flatMap(p => [...LITERALS, FRESH].map(t => (p ? `${p}.${t}` : t)));
    out.push(...level);
  }
  return out;
})();

const streamsArb = fc.array(fc.array(pattern, { minLength: 0, maxLength: 3 }), { minLength: 0, maxLength: 8 });
const layoutOf = (subjects: string[][]): StreamLayout =>
  layoutFromServer('test', subjects.map((s, i) => ({ name: `S${i}`, subjects: s })));

/** Brute force: the streams with a subject that matches, or for a pattern one that meets it. */
function naiveCapturing(streams: readonly LayoutStream[], asked: string, isPattern: boolean): string[] {
  return streams.filter(s => s.subjects.some(p => (isPattern ? meet(p, asked) !== null : matches(p, asked)))).map(s => s.name);
}

/** Brute force ⊑ ∪: every subject of the universe the pattern matches, one of the patterns matches. */
function naiveCovered(p: string, qs: readonly string[]): boolean {
  return UNIVERSE.every(s => !matches(p, s) || qs.some(q => matches(q, s)));
}

describe('CoverageIndex', () => {
  const layout = layoutFromServer('prod-cluster', [
    { name: 'DOMAIN_SALES_EVENTS', subjects: ['dev.domain.sales.>'] },
    { name: 'DOMAIN_SALES_COMMANDS', subjects: ['dev.command.sales.>'] },
    { name: 'ORDERS_ONLY', subjects: ['dev.domain.*.order.>', 'dev.domain.*.cart.*'] },
    { name: 'MIRROR', subjects: [] },
  ]);
  const index = new CoverageIndex(layout);

  it('names the streams that capture a subject', () => {
    const c = index.capturing('dev.domain.sales.order.placed.550e8400-e29b-41d4-a716-446655440000');
    assert.deepEqual(c.streams.map(s => [s.stream.name, s.subjects, s.full]), [
      ['DOMAIN_SALES_EVENTS', ['dev.domain.sales.>'], true],
      ['ORDERS_ONLY', ['dev.domain.*.order.>'], true],
    ]);
    assert.equal(c.pattern, false);
    assert.equal(c.full, true);
    assert.deepEqual(index.capturing('dev.domain.billing.invoice.paid.x').streams, []);
    assert.equal(index.capturing('dev..domain').full, false);
  });

  it('says for a pattern which streams overlap it and whether they hold all of it', () => {
    const c = index.capturing('dev.domain.*.order.>');
    assert.equal(c.pattern, true);
    assert.deepEqual(c.streams.map(s => [s.stream.name, s.full]), [['DOMAIN_SALES_EVENTS', false], ['ORDERS_ONLY', true]]);
    assert.equal(c.full, true);
    const wide = index.capturing('dev.domain.>');
    assert.deepEqual(wide.streams.map(s => [s.stream.name, s.full]), [['DOMAIN_SALES_EVENTS', false], ['ORDERS_ONLY', false]]);
    assert.equal(wide.full, false);
    assert.equal(index.capturing('dev.command.sales.*.*').full, true);
  });

  it('finds no overlap in a layout that one account can hold, and every pair in one it cannot', () => {
    assert.deepEqual(index.overlappingStreams().map(o => [o.a.name, o.b.name, o.on.map(x => x.meet)]), [
      ['DOMAIN_SALES_EVENTS', 'ORDERS_ONLY', ['dev.domain.sales.order.>', 'dev.domain.sales.cart.*']],
    ]);
    const [o] = index.overlappingStreams();
    assert.equal(o!.message, 'DOMAIN_SALES_EVENTS and ORDERS_ONLY both capture dev.domain.sales.order.>, dev.domain.sales.cart.*: one account cannot hold both streams (nats-server refuses the second).');
    assert.deepEqual(new CoverageIndex(layoutFromServer('x', [{ name: 'A', subjects: ['dev.domain.a.>'] }, { name: 'B', subjects: ['dev.domain.b.>'] }])).overlappingStreams(), []);
  });

  it('is rebuilt over new streams with the same description of where they are', () => {
    const next = index.withStreams([...layout.streams, { name: 'BILLING', subjects: ['dev.domain.billing.>'], source: 'server' }]);
    assert.equal(next.layout.where, 'on prod-cluster');
    assert.deepEqual(next.capturing('dev.domain.billing.invoice.paid.x').streams.map(s => s.stream.name), ['BILLING']);
    assert.deepEqual(index.capturing('dev.domain.billing.invoice.paid.x').streams, []);
  });

  it('captures what a brute-force matcher over every stream captures (subjects)', () => {
    fc.assert(fc.property(streamsArb, concrete, (subjects, s) => {
      const layout = layoutOf(subjects);
      assert.deepEqual(new CoverageIndex(layout).capturing(s).streams.map(c => c.stream.name), naiveCapturing(layout.streams, s, false));
    }), { numRuns: 500 });
  });

  it('overlaps what a brute-force meet over every stream overlaps, and says full exactly when every subject is held (patterns)', () => {
    fc.assert(fc.property(streamsArb, pattern, (subjects, p) => {
      const layout = layoutOf(subjects);
      const c = new CoverageIndex(layout).capturing(p);
      assert.deepEqual(c.streams.map(x => x.stream.name), naiveCapturing(layout.streams, p, true));
      for (const x of c.streams) assert.equal(x.full, naiveCovered(p, x.stream.subjects), `${p} in ${x.stream.name}`);
      assert.equal(c.full, c.streams.length > 0 && naiveCovered(p, subjects.flat()));
    }), { numRuns: 300 });
  });

  it('pairs exactly the streams a brute-force meet pairs', () => {
    fc.assert(fc.property(streamsArb, subjects => {
      const layout = layoutOf(subjects);
      const naive: string[] = [];
      layout.streams.forEach((a, i) => layout.streams.forEach((b, j) => {
        if (i < j && a.subjects.some(p => b.subjects.some(q => meet(p, q) !== null))) naive.push(`${a.name}+${b.name}`);
      }));
      assert.deepEqual(new CoverageIndex(layout).overlappingStreams().map(o => `${o.a.name}+${o.b.name}`), naive);
    }), { numRuns: 300 });
  });
});

describe('coveredBy (⊑ a union of patterns)', () => {
  it('sees a pattern held by several patterns together, though by none alone', () => {
    assert.equal(coveredBy('a.>', ['a.*', 'a.*.>']), true);
    assert.equal(coveredBy('a.>', ['a.*']), false);
    assert.equal(coveredBy('a.*', ['a.b', 'a.c']), false);
    assert.equal(coveredBy('a.b', ['a.b', 'a.c']), true);
    assert.equal(coveredBy('>', ['*', '*.>']), true);
    assert.equal(coveredBy('a.b', []), false);
    assert.equal(coveredBy('a..b', []), true);
  });

  it('agrees with a brute-force check over every subject', () => {
    fc.assert(fc.property(pattern, fc.array(pattern, { maxLength: 5 }), (p, qs) => {
      assert.equal(coveredBy(p, qs), naiveCovered(p, qs));
    }), { numRuns: 500 });
  });
});
