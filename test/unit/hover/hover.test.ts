import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseDomainDefinition, parseSubject, preset, subjectHover } from '../../../src/core';

const cim = preset('cim-start');
const ID = '550e8400-e29b-41d4-a716-446655440000';
const definition = parseDomainDefinition(readFileSync(join(__dirname, '../../../../test/fixtures/domains/example-business/domain-definition.yaml'), 'utf8')).definition!;

describe('subjectHover', () => {
  const subject = `dev.domain.sales.order.placed.${ID}`;
  const on = (token: string, s = subject) => subjectHover(cim, s, s.indexOf(token) + 1, [definition]) ?? '';
  it('names the role and rule of the token under the cursor', () => {
    assert.match(on('dev'), /\*\*env\*\* `dev` — one of `dev`, `staging`, `prod`/);
    assert.match(on('placed'), /\*\*event\*\* `placed` — a kebab-case name, past tense/);
    assert.match(on(ID), /\*\*event_id\*\* .* — a lowercase UUID/);
    assert.match(on('domain'), /\*\*category\*\* `domain` — Domain event/);
  });
  it('gives the full pattern and the stream that stores the subject', () => {
    const text = on('sales');
    assert.match(text, /Pattern: `\{env\}\.domain\.\{domain\}\.\{aggregate\}\.\{event\}\.\{event_id\}`/);
    assert.match(text, /Stored in stream `DOMAIN_SALES_EVENTS` \(subjects `dev\.domain\.sales\.>`, file, limits, max age 30d\)/);
  });
  it('adds the event and its fields from a domain definition', () => {
    const text = on('order');
    assert.match(text, /\*\*Event OrderPlaced\*\* \(E004\)/);
    assert.match(text, /\| `total_amount` \| Money \|/);
  });
  it('explains wildcards and unknown categories', () => {
    assert.match(on('>', 'dev.domain.sales.>'), /matches one or more tokens/);
    assert.match(on('domian', 'dev.domian.sales'), /`domian` is not a category of CIM-Start/);
  });
  it('never throws, and parseSubject never throws, on any string and offset', () => {
    fc.assert(fc.property(fc.string(), fc.nat(), (s, n) => {
      subjectHover(cim, s, n % (s.length + 1), [definition]);
      const p = parseSubject(cim, s);
      assert.equal(p.tokens.map(t => t.text).join('.'), s);
    }), { numRuns: 2000 });
  });
});
