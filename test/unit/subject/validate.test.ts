import assert from 'node:assert/strict';
import fc from 'fast-check';
import { preset, validateSubject, type Problem } from '../../../src/core';
import { validSubject } from './arbitraries';

const cim = preset('cim-start');
const ID = '550e8400-e29b-41d4-a716-446655440000';
const check = (s: string, opts = {}) => validateSubject(cim, s, { newUuid: () => 'NEW-UUID', ...opts });
const codes = (ps: Problem[]) => ps.map(p => p.code);
const applyFix = (s: string, p: Problem, i = 0) => {
  const f = p.fixes[i]!;
  return s.slice(0, f.start) + f.newText + s.slice(f.end);
};

describe('validateSubject: the spec examples', () => {
  for (const s of [
    `dev.domain.sales.order.created.${ID}`,
    'prod.domain.customer.customer.registered.550e8400-e29b-41d4-a716-446655440003',
    'prod.command.inventory.product.update',
    'prod.projection.order-summary.update',
    'prod.saga.order-fulfillment.payment-processed',
    `prod.snapshot.sales.order.${ID}`,
  ]) {
    it(`accepts ${s}`, () => assert.deepEqual(check(s), []));
  }
  for (const p of ['*.domain.sales.>', 'dev.domain.sales.order.>', 'dev.domain.sales.*.created.*', 'dev.command.sales.>', 'dev.projection.>']) {
    it(`accepts the pattern ${p}`, () => assert.deepEqual(codes(check(p, { pattern: true, style: false })), []));
  }
});

describe('validateSubject: NATS rules', () => {
  it('reports an empty subject', () => assert.deepEqual(codes(check('')), ['nats/empty-subject']));
  it('reports leading, trailing and double dots on the dot, with a fix that removes it', () => {
    for (const [s, start] of [['.dev.domain', 0], ['dev.domain.', 10], ['dev..domain', 3]] as const) {
      const [p] = check(s);
      assert.equal(p?.code, 'nats/empty-token');
      assert.equal(p.start, start);
      assert.equal(p.end, start + 1);
      assert.equal(applyFix(s, p).includes('..') || applyFix(s, p).startsWith('.') || applyFix(s, p).endsWith('.'), false);
    }
  });
  it('reports whitespace inside a token on that token', () => {
    const [p] = check('dev.domain.sa les.order.created.' + ID);
    assert.equal(p?.code, 'nats/whitespace');
    assert.deepEqual([p.start, p.end], [11, 17]);
    assert.deepEqual(check(applyFix('dev.domain.sa les.order.created.' + ID, p)), []);
  });
  it('rejects wildcards in a publish subject but allows them in a pattern', () => {
    assert.deepEqual(codes(check('dev.domain.sales.>')), ['nats/wildcard-in-publish']);
    assert.deepEqual(codes(check('dev.domain.sales.>', { pattern: true })), []);
  });
  it('requires > to be the last token', () => {
    const [p] = check('dev.>.sales', { pattern: true });
    assert.equal(p?.code, 'nats/full-wildcard-not-last');
    assert.equal(applyFix('dev.>.sales', p), 'dev.>');
  });
  it('treats foo* as a literal token that breaks the name rule', () => {
    const ps = check('dev.domain.sal*.order.created.' + ID);
    assert.deepEqual(codes(ps), ['algebra/name-rule']);
    assert.match(ps[0]!.message, /wildcard only as a whole token/);
  });
  it('warns about $-reserved subjects and skips the algebra', () => {
    const ps = check('$JS.API.STREAM.LIST');
    assert.deepEqual(codes(ps), ['nats/reserved-prefix']);
    assert.equal(ps[0]!.severity, 'warning');
  });
  it('reports subjects over 4096 bytes', () => {
    assert.ok(codes(check('dev.domain.' + 'a'.repeat(4100))).includes('nats/too-long'));
    assert.ok(codes(check('dev.domain.' + 'é'.repeat(2050))).includes('nats/too-long'), 'counts UTF-8 bytes, not characters');
  });
});

describe('validateSubject: the algebra', () => {
  it('names an unknown environment and offers the known ones', () => {
    const [p] = check(`qa.domain.sales.order.created.${ID}`);
    assert.equal(p?.code, 'algebra/unknown-environment');
    assert.deepEqual([p.start, p.end], [0, 2]);
    assert.deepEqual(p.fixes.map(f => f.newText), ['dev', 'staging', 'prod']);
  });
  it('suggests the nearest category for a typo', () => {
    const s = `dev.domian.sales.order.created.${ID}`;
    const [p] = check(s);
    assert.equal(p?.code, 'algebra/unknown-category');
    assert.match(p.message, /did you mean "domain"/);
    assert.deepEqual(check(applyFix(s, p)), []);
  });
  it('reports the old category-less form with a fix that inserts domain.', () => {
    const s = `dev.sales.order.created.${ID}`;
    const [p] = check(s);
    assert.equal(p?.code, 'algebra/legacy-form');
    assert.equal(applyFix(s, p), `dev.domain.sales.order.created.${ID}`);
    assert.deepEqual(check(applyFix(s, p)), []);
  });
  it('reports missing and extra tokens', () => {
    assert.deepEqual(codes(check('dev.command.sales.order')), ['algebra/missing-tokens']);
    assert.match(check('dev.command.sales.order')[0]!.message, /\{action\}/);
    const s = 'prod.projection.order-summary.update.now';
    const [p] = check(s);
    assert.equal(p?.code, 'algebra/extra-tokens');
    assert.equal(applyFix(s, p), 'prod.projection.order-summary.update');
  });
  it('applies the name rule with a kebab-case fix', () => {
    for (const [bad, good] of [['Order', 'order'], ['order_summary', 'order-summary'], ['orderSummary', 'order-summary']]) {
      const s = `prod.projection.${bad}.update`;
      const [p] = check(s);
      assert.equal(p?.code, 'algebra/name-rule', bad);
      assert.equal(applyFix(s, p), `prod.projection.${good}.update`);
    }
  });
  it('turns OrderCreated into order.created', () => {
    const s = `dev.domain.sales.OrderCreated.${ID}`;
    const p = check(s).find(x => x.code === 'algebra/name-rule')!;
    assert.equal(applyFix(s, p), `dev.domain.sales.order.created.${ID}`);
    assert.deepEqual(check(applyFix(s, p)), []);
  });
  it('replaces a bad id with a new UUID and lowercases an uppercase one', () => {
    const [p] = check('dev.domain.sales.order.created.123');
    assert.equal(p?.code, 'algebra/uuid-rule');
    assert.equal(p.fixes[0]!.newText, 'NEW-UUID');
    const [q] = check(`dev.domain.sales.order.created.${ID.toUpperCase()}`);
    assert.equal(q?.code, 'algebra/uuid-not-canonical');
    assert.equal(q.severity, 'warning');
  });
  it('warns (not errors) about tense: events past, commands imperative, irregular verbs accepted', () => {
    const [p] = check(`dev.domain.sales.order.create.${ID}`);
    assert.equal(p?.code, 'style/past-tense');
    assert.equal(p.severity, 'warning');
    assert.equal(p.fixes[0]!.newText, 'created');
    for (const ev of ['paid', 'sent', 'built', 'shipped']) assert.deepEqual(check(`dev.domain.sales.order.${ev}.${ID}`), [], ev);
    const [q] = check('prod.command.inventory.product.updated');
    assert.equal(q?.code, 'style/imperative');
    assert.equal(q.fixes[0]!.newText, 'update');
    assert.deepEqual(check(`dev.domain.sales.order.create.${ID}`, { style: false }), []);
  });
  it('warns about * in the environment position of a pattern', () => {
    const [p] = check('*.domain.sales.>', { pattern: true });
    assert.equal(p?.code, 'algebra/wildcard-environment');
    assert.equal(p.severity, 'warning');
  });
  it('checks the cim-subject preset with its own shape and snake case', () => {
    const cs = preset('cim-subject');
    for (const s of ['graph.commands.structure.add_node', 'location.events.location.defined', 'workflow.events.execution.completed']) {
      assert.deepEqual(validateSubject(cs, s), [], s);
    }
    assert.deepEqual(validateSubject(cs, 'graph.commands.structure.add-node').map(p => p.code), ['algebra/name-rule']);
    assert.deepEqual(validateSubject(cs, 'graph.cmds.structure.add_node').map(p => p.code), ['algebra/unknown-category']);
  });
});

describe('validateSubject: every quick fix', () => {
  // subjects with one mistake each: every fix offered must leave a subject with no error
  const broken = [
    `qa.domain.sales.order.created.${ID}`, `dev.domian.sales.order.created.${ID}`, `dev.sales.order.created.${ID}`,
    `dev.domain.Sales.order.created.${ID}`, `dev.domain.sales.order_item.created.${ID}`, `dev.domain.sales.order.created.123`,
    `dev.domain.sales.order.created.${ID.toUpperCase()}`, `dev.domain.sales.OrderCreated.${ID}`, 'dev.command.customer.RegisterCustomer',
    `dev.domain.sales.order.create.${ID}`, 'prod.command.inventory.product.updated', 'prod.projection.order-summary.update.now',
    'dev..domain.sales.order.create', 'dev.saga.order-fulfillment.ship',
  ];
  for (const s of broken) {
    it(`fixes ${s}`, () => {
      const problems = validateSubject(cim, s, { newUuid: () => ID });
      assert.ok(problems.some(p => p.fixes.length), 'offers a fix');
      for (const p of problems) {
        for (let i = 0; i < p.fixes.length; i++) {
          const fixed = applyFix(s, p, i);
          const left = validateSubject(cim, fixed, { newUuid: () => ID }).filter(x => x.severity === 'error' || x.code === p.code);
          if (p.code !== 'nats/empty-token') assert.deepEqual(left.map(x => x.code), [], `${p.fixes[i]!.title} gave ${fixed}`);
          else assert.ok(!left.some(x => x.code === p.code), fixed);
        }
      }
    });
  }
});

describe('validateSubject: properties', () => {
  it('never throws and keeps every range and fix inside the subject', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), validSubject.map(s => s.replace(/[a-z]/, 'X'))), fc.boolean(), (s, pattern) => {
      for (const p of validateSubject(cim, s, { pattern })) {
        assert.ok(p.start >= 0 && p.start <= p.end && p.end <= s.length, `${p.code} ${p.start}-${p.end} in ${JSON.stringify(s)}`);
        for (const f of p.fixes) assert.ok(f.start >= 0 && f.start <= f.end && f.end <= s.length);
      }
    }), { numRuns: 2000 });
  });
  it('gives the same problems through the compiled fast path as through the token-by-token checks', () => {
    const mutated = fc.tuple(validSubject, fc.nat(), fc.constantFrom('', 'X', '.', '*', '>', ' ', '$', '-', 'ed', 'ing', 'é')).map(([s, at, ins]) => s.slice(0, at % (s.length + 1)) + ins + s.slice(at % (s.length + 1)));
    for (const cs of [cim, preset('cim-subject')]) {
      fc.assert(fc.property(fc.oneof(validSubject, mutated, fc.string()), fc.boolean(), fc.boolean(), (s, pattern, style) => {
        const opts = { pattern, style, newUuid: () => 'u' };
        assert.deepEqual(validateSubject(cs, s, opts), validateSubject(cs, s, { ...opts, fastPath: false }));
      }), { numRuns: 3000 });
    }
  });
  it('finds nothing wrong in any subject built from valid tokens', () => {
    fc.assert(fc.property(validSubject, s => assert.deepEqual(check(s), [])), { numRuns: 2000 });
  });
});
