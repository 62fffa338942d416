import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CaptureIndex, matches, meet } from '../../../src/core/pattern';
import { anyPattern, pattern, subject, tokenSoup } from './arbitraries';

const UUID = '550e8400-e29b-41d4-a716-446655440000';

const STREAMS: Array<[string, string]> = [
  ['dev.domain.sales.>', 'DOMAIN_SALES_EVENTS'],
  ['dev.command.sales.>', 'DOMAIN_SALES_COMMANDS'],
  ['dev.snapshot.sales.>', 'DOMAIN_SALES_SNAPSHOTS'],
  ['dev.projection.>', 'PROJECTIONS'],
  ['dev.saga.>', 'SAGAS'],
  ['*.domain.customer.>', 'DOMAIN_CUSTOMER_EVENTS'],
];

/** Entries as [pattern, index] so duplicates of a pattern stay distinguishable. */
const entries = fc.array(anyPattern, { maxLength: 30 }).map((ps) => ps.map((p, i): [string, number] => [p, i]));

describe('CaptureIndex', () => {
  const index = new CaptureIndex(STREAMS);

  it('names the stream that captures a CIM subject', () => {
    assert.deepEqual(index.capture(`dev.domain.sales.order.created.${UUID}`), ['DOMAIN_SALES_EVENTS']);
    assert.equal(index.first('dev.command.sales.order.create'), 'DOMAIN_SALES_COMMANDS');
    assert.equal(index.first('dev.projection.order-summary.update'), 'PROJECTIONS');
    assert.equal(index.first(`prod.domain.customer.customer.registered.${UUID}`), 'DOMAIN_CUSTOMER_EVENTS');
  });

  it('captures nothing outside every stream, and nothing for an invalid subject', () => {
    assert.deepEqual(index.capture(`prod.domain.sales.order.created.${UUID}`), []);
    assert.equal(index.first('dev.domain.sales'), undefined);
    assert.deepEqual(index.capture(''), []);
    assert.deepEqual(index.capture('dev..domain.sales.x'), []);
    assert.equal(index.first('dev.projection. x'), undefined);
  });

  it('finds the streams a new stream would overlap', () => {
    assert.deepEqual(index.overlaps('*.domain.>'), ['DOMAIN_SALES_EVENTS', 'DOMAIN_CUSTOMER_EVENTS']);
    assert.deepEqual(index.overlaps('dev.domain.*.order.>'), ['DOMAIN_SALES_EVENTS', 'DOMAIN_CUSTOMER_EVENTS']);
    assert.deepEqual(index.overlaps('prod.domain.sales.>'), []);
    assert.deepEqual(index.overlaps('>'), STREAMS.map(([, name]) => name));
    assert.deepEqual(index.overlaps('dev.saga'), []);
  });

  it('returns values in insertion order, one per matching entry, and skips invalid patterns', () => {
    const idx = new CaptureIndex<string>();
    idx.add('a.>', 'first');
    idx.add('a..b', 'invalid');
    idx.add('a.*', 'second');
    idx.add('a.b', 'third');
    assert.equal(idx.size, 4);
    assert.deepEqual(idx.capture('a.b'), ['first', 'second', 'third']);
    assert.equal(idx.first('a.b'), 'first');
    assert.deepEqual(idx.capture('a.c.d'), ['first']);
    assert.deepEqual(idx.overlaps('a.b'), ['first', 'second', 'third']);
  });

  it('captures what a loop over every pattern with matches captures', () => {
    fc.assert(
      fc.property(entries, fc.oneof(subject, tokenSoup), (es, s) => {
        const idx = new CaptureIndex(es);
        const naive = es.filter(([p]) => matches(p, s)).map(([, v]) => v);
        assert.deepEqual(idx.capture(s), naive);
        assert.equal(idx.first(s), naive[0]);
      }),
    );
  });

  it('overlaps what a loop over every pattern with meet overlaps', () => {
    fc.assert(
      fc.property(entries, fc.oneof(pattern, anyPattern), (es, q) => {
        const naive = es.filter(([p]) => meet(p, q) !== null).map(([, v]) => v);
        assert.deepEqual(new CaptureIndex(es).overlaps(q), naive);
      }),
    );
  });

  it('never throws on any string', () => {
    const s = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));
    fc.assert(
      fc.property(fc.array(s, { maxLength: 10 }), s, (ps, x) => {
        const idx = new CaptureIndex(ps.map((p): [string, string] => [p, p]));
        for (const v of idx.capture(x)) assert.ok(matches(v, x));
        idx.first(x);
        idx.overlaps(x);
      }),
    );
  });

  it('stays correct on subjects and patterns far deeper than any stream', () => {
    const deep = Array.from({ length: 200_000 }, () => 'a').join('.');
    const idx = new CaptureIndex([[deep, 'deep'], ['a.>', 'rest']]);
    assert.deepEqual(idx.capture(deep), ['deep', 'rest']);
    assert.deepEqual(idx.overlaps('>'), ['deep', 'rest']);
  });
});
