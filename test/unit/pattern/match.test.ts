import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isValidPattern, matches, patternTokens, subjectTokens } from '../../../src/core/pattern';
import { pattern, subject, tokenSoup } from './arbitraries';

const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));
const UUID = '550e8400-e29b-41d4-a716-446655440000';

/** The definition written plainly, to hold the character-scanning matcher against. */
function reference(p: string, s: string): boolean {
  const pt = patternTokens(p);
  const st = subjectTokens(s);
  if (!pt || !st) return false;
  for (let i = 0; i < pt.length; i++) {
    if (pt[i] === '>') return st.length > i;
    if (i >= st.length || (pt[i] !== '*' && pt[i] !== st[i])) return false;
  }
  return pt.length === st.length;
}

describe('pattern matching', () => {
  it('matches the spec subscription patterns against CIM subjects', () => {
    assert.ok(matches('*.domain.sales.>', `dev.domain.sales.order.created.${UUID}`));
    assert.ok(matches('*.domain.sales.>', `prod.domain.sales.order.created.${UUID}`));
    assert.ok(matches('dev.domain.sales.order.>', `dev.domain.sales.order.shipped.${UUID}`));
    assert.ok(matches('dev.domain.sales.*.created.*', `dev.domain.sales.order.created.${UUID}`));
    assert.ok(matches('dev.domain.sales.*.created.*', `dev.domain.sales.invoice.created.${UUID}`));
    assert.ok(matches('dev.command.sales.>', 'dev.command.sales.order.create'));
    assert.ok(matches('dev.projection.>', 'dev.projection.order-summary.update'));
  });

  it('rejects subjects outside the spec patterns', () => {
    assert.ok(!matches('*.domain.sales.>', `dev.domain.customer.customer.registered.${UUID}`));
    assert.ok(!matches('dev.domain.sales.*.created.*', `dev.domain.sales.order.shipped.${UUID}`));
    assert.ok(!matches('dev.domain.sales.*.created.*', 'dev.domain.sales.order.created'));
    assert.ok(!matches('dev.command.sales.>', 'prod.command.sales.order.create'));
  });

  it('reads `*` as exactly one token and `>` as one or more trailing tokens', () => {
    assert.ok(matches('a.*', 'a.b'));
    assert.ok(!matches('a.*', 'a'));
    assert.ok(!matches('a.*', 'a.b.c'));
    assert.ok(matches('a.>', 'a.b'));
    assert.ok(matches('a.>', 'a.b.c.d'));
    assert.ok(!matches('a.>', 'a'));
    assert.ok(matches('>', 'a'));
    assert.ok(matches('*', 'a'));
    assert.ok(!matches('*', 'a.b'));
  });

  it('treats wildcard characters inside a token as literal', () => {
    assert.ok(matches('foo*.bar', 'foo*.bar'));
    assert.ok(!matches('foo*.bar', 'foox.bar'));
    assert.ok(!matches('a.b>', 'a.bc'));
    assert.ok(matches('a.*', 'a.b>'));
  });

  it('compares wildcards in the subject literally', () => {
    assert.ok(matches('a.*', 'a.*'));
    assert.ok(matches('a.>', 'a.>'));
    assert.ok(!matches('a.b', 'a.*'));
    assert.ok(!matches('a.b.c', 'a.>'));
    assert.ok(matches('>', 'a.>.b'), 'a `>` inside a subject is just a token');
  });

  it('matches nothing with an invalid pattern or subject', () => {
    const broken = ['', '.', 'a.', '.a', 'a..b', 'a b', 'a.\tb', 'a\r', 'a\n.b', 'a\f'];
    for (const bad of [...broken, 'a.>.b', '>.a']) assert.ok(!matches(bad, 'a.b'), `pattern ${JSON.stringify(bad)}`);
    for (const bad of broken) {
      assert.ok(!matches('>', bad), `subject ${JSON.stringify(bad)}`);
      assert.ok(!matches('*.*', bad), `subject ${JSON.stringify(bad)}`);
    }
    assert.ok(!matches('a.>', 'a.b.'), 'what `>` swallows must be valid tokens too');
    assert.ok(!matches('a.>', 'a.b..c'));
  });

  it('agrees with the plain definition on any string', () => {
    fc.assert(fc.property(tokenSoup, tokenSoup, (p, s) => matches(p, s) === reference(p, s)));
    fc.assert(fc.property(pattern, subject, (p, s) => matches(p, s) === reference(p, s)));
  });

  it('never throws and only valid patterns match', () => {
    fc.assert(
      fc.property(anyString, anyString, (p, s) => {
        const hit = matches(p, s);
        return !hit || (isValidPattern(p) && subjectTokens(s) !== null);
      }),
    );
  });

  it('a pattern with no wildcard matches itself and nothing else', () => {
    fc.assert(fc.property(subject, subject, (s, t) => matches(s, t) === (s === t)));
  });
});
