import assert from 'node:assert/strict';
import { evaluateScope, parsePlaybook, resolveBlock, resolveVariables, subjectForValidation } from '../../../src/core/playbook';
import { parseSubject, preset } from '../../../src/core';
import { at, builtins, fixture } from './helpers';

describe('resolveVariables', () => {
  const defs = parsePlaybook('@id = {{uuid}}\n@who = {{env}}-{{id}}\nPUB x').variables;

  it('expands definitions, built-ins and leaves unknown names as written', () => {
    const r = resolveVariables('{{who}}/{{now}}/{{missing}}/{{missing}}', defs, builtins('prod'));
    assert.equal(r.value, 'prod-00000000-0000-4000-8000-000000000001/2025-01-02T03:04:05.000Z/{{missing}}/{{missing}}');
    assert.deepEqual(r.unresolved, ['missing']);
  });

  it('gives each direct {{uuid}} a fresh value but one value per variable per evaluation', () => {
    const b = builtins();
    const values = evaluateScope(defs, b);
    const one = resolveVariables('{{id}} {{id}}', values, b).value;
    const two = resolveVariables('{{id}}', values, b).value;
    assert.equal(one, `${two} ${two}`);
    const fresh = resolveVariables('{{uuid}} {{uuid}}', values, b).value.split(' ');
    assert.notEqual(fresh[0], fresh[1]);
  });

  it('keeps {{ spaced }} and unclosed braces as literal text', () => {
    assert.equal(resolveVariables('{{ id }} {{id', defs, builtins()).value, '{{ id }} {{id');
  });
});

describe('resolveBlock', () => {
  it('makes the subject id, the Nats-Msg-Id header and the payload event_id one UUID per send', () => {
    const p = parsePlaybook(fixture('example.nats'));
    const b = builtins();
    const first = resolveBlock(p.blocks[0]!, b);
    const id = first.subject.split('.').at(-1)!;
    assert.equal(first.subject, `dev.domain.sales.order.created.${id}`);
    assert.equal(first.headers[0]!.value, id);
    const body = JSON.parse(first.body!);
    assert.equal(body.event_id, id);
    assert.equal(body.metadata.causation_id, id);
    assert.equal(body.metadata.source, 'cim-nats-playbook');
    assert.deepEqual(first.unresolved, []);
    const again = resolveBlock(p.blocks[0]!, b);
    assert.notEqual(again.subject, first.subject, 'a new send gets a new id');
  });
});

describe('subjectForValidation', () => {
  const text = fixture('example.nats');
  const block = parsePlaybook(text).blocks[0]!;
  const s = subjectForValidation(block, block.variablesInScope, builtins('staging'));
  const cim = preset('cim-start');

  it('expands the subject so the algebra sees a concrete one', () => {
    const parsed = parseSubject(cim, s.value);
    assert.equal(parsed.category?.name, 'domain');
    assert.equal(parsed.values.env, 'staging');
    assert.equal(parsed.tokens.length, parsed.expectedLength);
  });

  it('maps a range in literal text back to the same characters', () => {
    const aggregate = parseSubject(cim, s.value).tokens[3]!;
    assert.equal(at(text, s.toDocument(aggregate)), 'order');
  });

  it('maps a range inside an expansion to the whole {{var}}', () => {
    const tokens = parseSubject(cim, s.value).tokens;
    assert.equal(at(text, s.toDocument(tokens[0]!)), '{{env}}');
    assert.equal(at(text, s.toDocument({ start: tokens.at(-1)!.start + 3, end: tokens.at(-1)!.start + 5 })), '{{event_id}}');
    assert.equal(at(text, s.toDocument({ start: 0, end: s.value.length })), block.subject);
  });

  it('maps an empty range at a boundary to an empty range, and clamps out-of-range spans', () => {
    const dot = s.value.indexOf('.');
    const m = s.toDocument({ start: dot, end: dot });
    assert.equal(m.start, m.end);
    assert.equal(text[m.start], '.');
    const all = s.toDocument({ start: -5, end: 10_000 });
    assert.deepEqual(all, block.subjectRange);
  });

  it('tells a span in literal text, where a fix may edit, from one touching an expansion', () => {
    const tokens = parseSubject(cim, s.value).tokens;
    assert.equal(at(text, s.literalSpan(tokens[2]!)!), 'sales');
    assert.equal(s.literalSpan(tokens[0]!), undefined);
    assert.equal(s.literalSpan({ start: tokens[0]!.start, end: tokens[1]!.end }), undefined);
    const insertAfterEnv = s.literalSpan({ start: tokens[0]!.end, end: tokens[0]!.end })!;
    assert.equal(text.slice(insertAfterEnv.start - 7, insertAfterEnv.start), '{{env}}');
  });

  it('lists the names it could not expand', () => {
    const p = parsePlaybook('PUB dev.domain.{{nope}}.order.created.{{uuid}}');
    const r = subjectForValidation(p.blocks[0]!, p.blocks[0]!.variablesInScope, builtins());
    assert.deepEqual(r.unresolved, ['nope']);
    assert.ok(r.value.startsWith('dev.domain.{{nope}}.order.created.'));
  });
});
