import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { fileKindOf, lintText, preset } from '../../../src/core';

const cim = preset('cim-start');
const fixture = (name: string) => readFileSync(join(__dirname, '../../../../test/fixtures/source', name), 'utf8');

describe('lintText on source files', () => {
  const text = fixture('orders.ts');
  const findings = lintText(cim, text, 'source');
  it('finds subject literals, including templates up to their first interpolation', () => {
    assert.deepEqual(findings.map(f => f.subject), [
      'dev.domain.sales.order.created.550e8400-e29b-41d4-a716-446655440000',
      'dev.domian.sales.order.created.550e8400-e29b-41d4-a716-446655440000',
      'dev.domain.sales.order',
      'dev.domain.Sales.order',
      'dev.domain.sales.>',
      'prod.command.inventory.product.updated',
    ]);
  });
  it('never flags hostnames, URLs or file names', () => {
    for (const s of ['dev.example.com', 'prod.internal', 'config.prod.json']) assert.ok(!findings.some(f => f.subject.includes(s)), s);
  });
  it('reports problems at their place in the document', () => {
    const typo = findings[1]!;
    assert.deepEqual(typo.problems.map(p => p.code), ['algebra/unknown-category']);
    assert.equal(text.slice(typo.problems[0]!.start, typo.problems[0]!.end), 'domian');
    assert.equal(text.slice(typo.problems[0]!.fixes[0]!.start, typo.problems[0]!.fixes[0]!.end), 'domian');
  });
  it('checks a cut template only for the tokens before the cut', () => {
    assert.deepEqual(findings[2]!.problems, []);
    assert.deepEqual(findings[3]!.problems.map(p => p.code), ['algebra/name-rule']);
  });
  it('checks literals holding a wildcard as patterns', () => {
    assert.equal(findings[4]!.pattern, true);
    assert.deepEqual(findings[4]!.problems, []);
    assert.deepEqual(findings[5]!.problems.map(p => p.code), ['style/imperative']);
  });
  it('finds subjects in other languages the same way', () => {
    const py = 'nc.publish(f"dev.domain.sales.order.{e}.x")\nsub = \'dev.comand.sales.order.create\'';
    assert.deepEqual(lintText(cim, py, 'source').map(f => [f.subject, f.problems.map(p => p.code)]), [
      ['dev.domain.sales.order', []],
      ['dev.comand.sales.order.create', ['algebra/unknown-category']],
    ]);
    const legacy = "const old = 'dev.sales.order.shipped.550e8400-e29b-41d4-a716-446655440000';\nconst host = 'dev.sales.example.com.x';";
    assert.deepEqual(lintText(cim, legacy, 'source').map(f => [f.subject.split('.')[1], f.problems.map(p => p.code)]), [['sales', ['algebra/legacy-form']]]);
    const rs = 'let s = format!("prod.snapshot.sales.order.{}", id);';
    assert.deepEqual(lintText(cim, rs, 'source').map(f => f.problems.length), [0]);
  });
});

describe('lintText leaves ordinary strings alone', () => {
  const ordinary = [
    'prod.data.retention.days', 'prod.page.size.max', 'dev.main.db.host', 'prod.database.url',
    'dev.domain.sales order created', 'dev.domain.sales.example.com', 'prod.domain.sales.json', 'prod.snapshot.orders.tar.gz',
    'dev.example.com', 'https://prod.internal/api', 'config.prod.json', 'v1.2.3', '10.0.0.1', 'dev.domain@example.com',
  ];
  for (const s of ordinary) {
    it(`does not report "${s}"`, () => {
      for (const q of ['"', "'", '`']) assert.deepEqual(lintText(cim, `x = ${q}${s}${q};`, 'source').flatMap(f => f.problems), [], q);
    });
  }
  it('checks a prefix written for concatenation up to its trailing dot', () => {
    const [f] = lintText(cim, "if (s.startsWith('dev.domain.sales.order.placed.')) {}", 'source');
    assert.equal(f?.subject, 'dev.domain.sales.order.placed');
    assert.deepEqual(f?.problems, []);
    assert.deepEqual(lintText(cim, "p = 'dev.domain.Sales.'", 'source')[0]?.problems.map(p => p.code), ['algebra/name-rule']);
  });
  it('still reports a one-edit typo of a category', () => {
    for (const typo of ['domian', 'comand', 'sagas', 'snapshots']) {
      assert.deepEqual(lintText(cim, `x = "dev.${typo}.a.b.c"`, 'source')[0]?.problems.map(p => p.code), ['algebra/unknown-category'], typo);
    }
  });
});

describe('lintText on YAML', () => {
  it('reads list-of-map values and flow sequences too', () => {
    const text = 'streams:\n  - subject: dev.domian.sales.>\n    filters: [dev.domain.Sales.>, dev.command.sales.>]\n';
    assert.deepEqual(lintText(cim, text, 'yaml').map(f => [f.subject, f.problems.map(p => p.code)]), [
      ['dev.domian.sales.>', ['algebra/unknown-category']],
      ['dev.domain.Sales.>', ['algebra/name-rule']],
      ['dev.command.sales.>', []],
    ]);
  });
  it('finds plain and quoted scalars and leaves ordinary values alone', () => {
    const text = fixture('streams.yaml');
    const f = lintText(cim, text, fileKindOf('streams.yaml'));
    assert.deepEqual(f.map(x => x.subject), ['dev.domain.sales.>', 'dev.domain.Sales.>', 'prod.command.inventory.>']);
    assert.deepEqual(f.map(x => x.problems.map(p => p.code)), [[], ['algebra/name-rule'], []]);
  });
});

describe('lintText properties', () => {
  it('never throws, and every finding and problem lies inside the text', () => {
    const kinds = fc.constantFrom('source' as const, 'yaml' as const, 'nats' as const);
    const chunk = fc.oneof(fc.string(), fc.constantFrom('"dev.domain.', "'prod.command.", '`dev.saga.', '${x}', '\n', 'PUB ', '.', '>', '*', '  - dev.domain.'));
    fc.assert(fc.property(fc.array(chunk, { maxLength: 20 }).map(a => a.join('')), kinds, (text, kind) => {
      for (const f of lintText(cim, text, kind)) {
        assert.ok(f.start >= 0 && f.end <= text.length && f.start <= f.end);
        for (const p of f.problems) assert.ok(p.start >= 0 && p.end <= text.length && p.start <= p.end, `${p.code} in ${JSON.stringify(text)}`);
      }
    }), { numRuns: 1500 });
  });
});
