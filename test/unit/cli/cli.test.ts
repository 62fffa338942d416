import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');
const FIX = join(ROOT, 'test/fixtures');
const ID = '550e8400-e29b-41d4-a716-446655440000';

/** Runs the built CLI (dist/cli.js) as a user would. */
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], { cwd: FIX, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('cim-nats check', () => {
  it('prints ok and exits 0 for valid subjects', () => {
    const r = cli('check', `dev.domain.sales.order.created.${ID}`, 'prod.command.inventory.product.update');
    assert.equal(r.code, 0);
    assert.equal(r.out, `dev.domain.sales.order.created.${ID}: ok\nprod.command.inventory.product.update: ok\n`);
  });
  it('exits 1 and names the problem with its range', () => {
    const r = cli('check', `dev.domian.sales.order.created.${ID}`);
    assert.equal(r.code, 1);
    assert.match(r.out, /:5-10: error algebra\/unknown-category Unknown category "domian": did you mean "domain"\?/);
  });
  it('exits 0 when there are only warnings', () => {
    const r = cli('check', 'prod.command.inventory.product.updated');
    assert.equal(r.code, 0);
    assert.match(r.out, /warning style\/imperative/);
    assert.equal(cli('check', '--no-style', 'prod.command.inventory.product.updated').out, 'prod.command.inventory.product.updated: ok\n');
  });
  it('checks patterns with --pattern', () => {
    assert.equal(cli('check', 'dev.domain.sales.>').code, 1);
    assert.equal(cli('check', '--pattern', 'dev.domain.sales.>').code, 0);
  });
  it('prints the JSON shape with --json', () => {
    const r = cli('check', '--json', 'dev.domain.sales.order.create.123');
    const [entry] = JSON.parse(r.out) as { subject: string; problems: { code: string; severity: string; start: number; end: number; message: string }[] }[];
    assert.equal(entry!.subject, 'dev.domain.sales.order.create.123');
    assert.deepEqual(entry!.problems.map(p => [p.code, p.severity, p.start, p.end]), [['style/past-tense', 'warning', 23, 29], ['algebra/uuid-rule', 'error', 30, 33]]);
    assert.equal(r.code, 1);
  });
  it('takes subjects that start with a dash after --', () => {
    const r = cli('check', '--', '-dev.domain');
    assert.equal(r.code, 1);
    assert.match(r.out, /^-dev\.domain:/);
  });
  it('uses an algebra file, and falls back with a warning naming the path when it is broken', () => {
    assert.equal(cli('check', '--algebra', 'cli/tenant-algebra.json', 'live.acme.evt.order.placed').code, 0);
    assert.equal(cli('check', '--algebra', 'cli/tenant-algebra.json', 'live.acme.evt.order.place').out.includes('style/past-tense'), true);
    const r = cli('check', '--algebra', 'cli/broken-algebra.json', 'prod.command.inventory.product.update');
    assert.equal(r.code, 0);
    assert.match(r.err, /broken-algebra\.json:\d+: categories\[0\]\.tokens\[0\]\.rule: /);
    assert.match(r.err, /using the built-in CIM-Start algebra/);
  });
  it('checks the cim-subject preset', () => {
    assert.equal(cli('check', '--preset', 'cim-subject', 'graph.commands.structure.add_node').code, 0);
  });
});

describe('cim-nats usage errors', () => {
  for (const [args, reason] of [
    [['check'], /check needs at least one SUBJECT/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['check', '--bogus', 'x'], /unknown option --bogus/],
    [['check', '--preset', 'nope', 'x'], /unknown preset "nope"/],
    [['check', '--algebra', 'missing.json', 'x'], /cannot read the algebra file missing\.json \(ENOENT\)/],
    [['lint', 'no/such/dir'], /no such file or folder: no\/such\/dir/],
    [['join', 'a..b', 'c'], /"a\.\.b" is not a valid pattern/],
  ] as const) {
    it(`exits 2 with one line for ${args.join(' ')}`, () => {
      const r = cli(...args);
      assert.equal(r.code, 2);
      assert.match(r.err, reason);
      assert.equal(r.err.trim().split('\n').length, 1);
    });
  }
});

describe('cim-nats lint', () => {
  it('reports file:line:col: severity code message for source, YAML and playbooks', () => {
    const r = cli('lint', 'source', 'cli/playbook.nats');
    assert.equal(r.code, 1);
    const lines = r.out.trim().split('\n');
    assert.ok(lines.includes('source/orders.ts:4:19: error algebra/unknown-category Unknown category "domian": did you mean "domain"?'), r.out);
    assert.ok(lines.some(l => l.startsWith('source/streams.yaml:5:21: error algebra/name-rule')), r.out);
    assert.ok(lines.some(l => l.startsWith('cli/playbook.nats:8:16: error algebra/name-rule')), r.out);
    assert.ok(!lines.some(l => l.startsWith('cli/playbook.nats:2:')), 'variables expand to valid tokens');
  });
  it('prints one JSON entry per subject with offsets into the subject', () => {
    const entries = JSON.parse(cli('lint', '--json', 'cli/playbook.nats').out) as { file: string; line: number; subject: string; problems: { start: number; end: number }[] }[];
    const sub = entries.find(e => e.subject === 'dev.domain.Sales.>')!;
    assert.equal(sub.line, 8);
    assert.deepEqual(sub.problems.map(p => [p.start, p.end]), [[11, 16]]);
  });
  it('gives playbook offsets into the subject as written, {{variables}} and all', () => {
    const entries = JSON.parse(cli('lint', '--json', 'cli/variables.nats').out) as { subject: string; problems: { code: string; start: number; end: number }[] }[];
    const e = entries.find(x => x.subject.startsWith('{{env}}'))!;
    assert.equal(e.subject, '{{env}}.domain.sales.Order.placed.{{uuid}}');
    assert.deepEqual(e.problems.map(p => [p.code, e.subject.slice(p.start, p.end)]), [['algebra/name-rule', 'Order']]);
  });
  it('skips binary files and unreadable links inside folders with a warning, and goes on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cim-nats-lint-'));
    try {
      writeFileSync(join(dir, 'blob.ts'), Buffer.from([0x64, 0x65, 0x76, 0x00, 0x01, 0x02]));
      symlinkSync(join(dir, 'nowhere.ts'), join(dir, 'dangling.ts'));
      symlinkSync(dir, join(dir, 'loop'));
      writeFileSync(join(dir, 'ok.py'), "s = 'dev.comand.sales.order.create'\n");
      const r = cli('lint', dir);
      assert.equal(r.code, 1);
      assert.match(r.out, /ok\.py:1:10: error algebra\/unknown-category/);
      assert.match(r.err, /blob\.ts: binary file, skipped/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('exits 0 on a folder with nothing wrong', () => {
    assert.equal(cli('lint', 'domains').code, 0);
  });
});

describe('cim-nats lattice commands', () => {
  it('joins, meets and compares patterns', () => {
    assert.equal(cli('join', 'a.b.c.x', 'a.b.c.y').out, 'a.b.c.*\n');
    assert.equal(cli('meet', 'a.b.>', 'a.b.c.*').out, 'a.b.c.*\n');
    assert.equal(cli('meet', 'a.b', 'a.c').out, 'none\n');
    assert.equal(cli('subset', 'dev.domain.sales.order.>', '*.domain.sales.>').out, 'true\n');
    assert.equal(cli('subset', '*.domain.sales.>', 'dev.domain.sales.>').out, 'false\n');
  });
  it('prints the algebra JSON schema', () => {
    const schema = JSON.parse(cli('schema').out) as { properties: object };
    assert.ok('categories' in schema.properties);
  });
});
