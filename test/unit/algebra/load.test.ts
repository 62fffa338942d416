import assert from 'node:assert/strict';
import { CIM_START, CIM_SUBJECT, algebraJsonSchema, loadAlgebraText, preset, streamFor, parseSubject } from '../../../src/core';

describe('algebra files', () => {
  it('loads a valid description (the presets written out as files)', () => {
    for (const p of [CIM_START, CIM_SUBJECT]) {
      const r = loadAlgebraText(JSON.stringify(p));
      assert.deepEqual(r.errors, []);
      assert.equal(r.usedFallback, false);
      assert.equal(r.algebra.spec.name, p.name);
    }
  });
  it('falls back to the default and names the path and reason of each error', () => {
    const broken = structuredClone(CIM_START) as unknown as { categories: { tokens: { rule: string }[] }[] };
    broken.categories[0]!.tokens[2]!.rule = 'verb';
    const text = JSON.stringify(broken, null, 2);
    const r = loadAlgebraText(text);
    assert.equal(r.usedFallback, true);
    assert.equal(r.algebra, preset());
    assert.equal(r.errors[0]!.path, 'categories[0].tokens[2].rule');
    assert.match(r.errors[0]!.message, /environment|name|uuid/);
    assert.ok((r.errors[0]!.line ?? 0) > 0, 'points at a line in the file');
  });
  it('reports invalid JSON with its line', () => {
    const r = loadAlgebraText('{\n  "name": "x",\n  oops\n}');
    assert.equal(r.usedFallback, true);
    assert.match(r.errors[0]!.message, /not valid JSON/);
    assert.equal(r.errors[0]!.line, 2);
  });
  it('catches cross-field mistakes: duplicate categories, unknown placeholders, legacy category', () => {
    const a = structuredClone(CIM_START) as unknown as Record<string, unknown> & { categories: { name: string; stream?: { name: string } }[] };
    a.categories[1]!.name = 'domain';
    a.categories[2]!.stream!.name = 'X_{TENANT}';
    a['legacy'] = { insertCategory: 'nope' };
    const msgs = loadAlgebraText(JSON.stringify(a)).errors.map(e => `${e.path}: ${e.message}`).join('\n');
    assert.match(msgs, /defined twice/);
    assert.match(msgs, /\{TENANT\}/);
    assert.match(msgs, /"nope" is not a category/);
  });
  it('generates a JSON schema that describes the file', () => {
    const schema = algebraJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    assert.ok(schema.properties.categories && schema.properties.environments);
    assert.deepEqual(schema.required.sort(), ['categories', 'name']);
  });
  it('names the stream that stores a subject', () => {
    const p = parseSubject(preset(), 'dev.domain.order-history.order.created.x');
    assert.deepEqual(streamFor(p.category!, p.values), { name: 'DOMAIN_ORDER_HISTORY_EVENTS', subjects: 'dev.domain.order-history.>', spec: p.category!.stream });
  });
});
