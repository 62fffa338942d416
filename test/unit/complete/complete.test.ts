import assert from 'node:assert/strict';
import fc from 'fast-check';
import { NameIndex, completeSubject, looksLikeSubjectStart, preset } from '../../../src/core';
import { cursor } from '../../support/cursor';

const cim = preset('cim-start');
const at = cursor;
const labels = (marked: string, opts = {}) => {
  const { text, offset } = at(marked);
  return completeSubject(cim, text, offset, opts).items.map(i => i.label);
};
const names = new NameIndex([
  { role: 'domain', value: 'sales' },
  { role: 'domain', value: 'inventory' },
  { role: 'aggregate', value: 'order', scope: { domain: 'sales' } },
  { role: 'aggregate', value: 'product', scope: { domain: 'inventory' } },
  { role: 'event', value: 'placed', scope: { domain: 'sales', aggregate: 'order' }, documentation: 'An order was placed.' },
]);

describe('completeSubject', () => {
  it('offers environments first, the default one on top', () => {
    const r = completeSubject(cim, '', 0, { defaultEnvironment: 'staging' });
    assert.equal(r.role, 'env');
    assert.deepEqual(r.items.map(i => i.label).sort(), ['dev', 'prod', 'staging']);
    assert.equal([...r.items].sort((a, b) => a.sortText!.localeCompare(b.sortText!))[0]!.label, 'staging');
  });
  it('offers categories with their full pattern after the environment', () => {
    const { text, offset } = at('dev.|');
    const r = completeSubject(cim, text, offset);
    assert.equal(r.role, 'category');
    assert.deepEqual(r.items.map(i => i.label), ['domain', 'command', 'projection', 'saga', 'snapshot']);
    assert.equal(r.items[0]!.detail, '{env}.domain.{domain}.{aggregate}.{event}.{event_id}');
  });
  it('offers known names scoped by the tokens before the cursor', () => {
    assert.deepEqual(labels('dev.domain.|', { names }), ['sales', 'inventory']);
    assert.deepEqual(labels('dev.domain.sales.|', { names }), ['order']);
    assert.deepEqual(labels('dev.command.inventory.|', { names }), ['product']);
    assert.deepEqual(labels('dev.domain.sales.order.|', { names }), ['placed']);
  });
  it('offers a fresh UUID in an id position', () => {
    const r = completeSubject(cim, 'dev.domain.sales.order.placed.', 30, { newUuid: () => 'u-1' });
    assert.equal(r.role, 'event_id');
    assert.deepEqual(r.items.map(i => [i.label, i.kind]), [['u-1', 'uuid']]);
  });
  it('offers * and > only in patterns, and > only as the last token', () => {
    assert.deepEqual(labels('dev.domain.|', { names, pattern: true }), ['sales', 'inventory', '*', '>']);
    assert.deepEqual(labels('dev.|.sales', { pattern: true }).slice(-1), ['*']);
    assert.ok(!labels('dev.domain.|', { names }).includes('*'));
    assert.deepEqual(labels('dev.>.|', { pattern: true }), []);
  });
  it('replaces the whole token under the cursor', () => {
    const r = completeSubject(cim, 'dev.dom.sales', 5);
    assert.deepEqual([r.start, r.end, r.typed], [4, 7, 'd']);
  });
  it('never throws and keeps its range inside the text', () => {
    fc.assert(fc.property(fc.string(), fc.nat(), fc.boolean(), (s, n, pattern) => {
      const r = completeSubject(cim, s, n % (s.length + 1), { names, pattern });
      assert.ok(r.start >= 0 && r.start <= r.end && r.end <= s.length);
    }), { numRuns: 2000 });
  });
});

describe('looksLikeSubjectStart', () => {
  it('accepts the start of a subject and refuses ordinary strings', () => {
    for (const t of ['d', 'dev', 'dev.', 'dev.dom', 'dev.domain.', 'dev.domain.sales.ord', '*.domain.']) assert.ok(looksLikeSubjectStart(cim, t), t);
    for (const t of ['', 'x', 'config.', 'dev.example.', 'dev.domain.Sales.', 'hello world']) assert.ok(!looksLikeSubjectStart(cim, t), t);
  });
  it('needs a known category after a name prefix in an algebra without environments', () => {
    const cs = preset('cim-subject');
    assert.ok(looksLikeSubjectStart(cs, 'graph.commands.'));
    assert.ok(looksLikeSubjectStart(cs, 'graph.'));
    assert.ok(!looksLikeSubjectStart(cs, 'config.json.'));
    assert.ok(!looksLikeSubjectStart(cs, 'graph'), 'a bare word is no subject yet');
  });
});
