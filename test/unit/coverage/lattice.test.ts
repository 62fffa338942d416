import assert from 'node:assert/strict';
import fc from 'fast-check';
import { doTheyOverlap, generalize } from '../../../src/core/coverage';
import { matches, meet, subset } from '../../../src/core/pattern';
import { pattern, subject } from '../pattern/arbitraries';

describe('generalize (⊔ of many)', () => {
  it('joins subjects into the most specific pattern matching them all', () => {
    assert.equal(generalize(['dev.domain.sales.order.placed.1', 'dev.domain.sales.order.shipped.2']), 'dev.domain.sales.order.*.*');
    assert.equal(generalize(['dev.domain.sales.order.placed.1', 'prod.domain.sales.order.placed.1']), '*.domain.sales.order.placed.1');
    assert.equal(generalize(['dev.domain.sales.x', 'dev.domain.sales.x.y']), 'dev.domain.sales.>');
    assert.equal(generalize(['dev.saga.returns.started']), 'dev.saga.returns.started');
    assert.equal(generalize([]), '');
  });

  it('matches every subject it was given', () => {
    fc.assert(fc.property(fc.array(subject, { minLength: 1, maxLength: 6 }), subjects => {
      const p = generalize(subjects);
      for (const s of subjects) assert.ok(matches(p, s), `${p} ∌ ${s}`);
    }));
  });
});

describe('doTheyOverlap (⊓ with a sentence)', () => {
  it('gives the meet and says what both match', () => {
    assert.deepEqual(doTheyOverlap('dev.domain.sales.>', '*.domain.*.order.>'), {
      meet: 'dev.domain.sales.order.>',
      sentence: 'dev.domain.sales.> and *.domain.*.order.> overlap: both match dev.domain.sales.order.>.',
    });
    assert.equal(doTheyOverlap('a.b.>', 'a.b.c.*').sentence, 'a.b.> and a.b.c.* overlap: every subject a.b.c.* matches, a.b.> matches too.');
    assert.equal(doTheyOverlap('a.*', 'a.*').sentence, 'a.* and a.* match the same subjects.');
  });

  it('says where two patterns part when they share no subject', () => {
    assert.deepEqual(doTheyOverlap('dev.domain.sales.>', 'prod.domain.sales.>'), {
      meet: null,
      sentence: 'dev.domain.sales.> and prod.domain.sales.> share no subject: token 1 is dev in one and prod in the other.',
    });
    assert.equal(doTheyOverlap('a.*', 'a.b.c').sentence, 'a.* and a.b.c share no subject: one ends after 2 tokens, the other has 3.');
    assert.equal(doTheyOverlap('a..b', 'a').meet, null);
    assert.match(doTheyOverlap('a..b', 'a').sentence, /a\.\.b is not a valid pattern/);
  });

  it('answers as meet does, and never says "overlap" for disjoint patterns', () => {
    fc.assert(fc.property(pattern, pattern, (p, q) => {
      const r = doTheyOverlap(p, q);
      assert.equal(r.meet, meet(p, q));
      assert.equal(/ overlap| the same/.test(r.sentence), r.meet !== null);
      if (r.meet !== null) assert.ok(subset(r.meet, p) && subset(r.meet, q));
    }));
  });
});
