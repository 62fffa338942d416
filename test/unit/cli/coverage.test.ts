// `cim-nats coverage` as a process, against the algebra's own stream layout (no server).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');
const WORKSPACE = join(ROOT, 'test/fixtures/coverage-workspace');

/** Runs the built CLI in the fixture workspace, with no NATS_* or CIM_ENVIRONMENT from the caller's environment. */
function cli(...args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NATS_') && k !== 'CIM_ENVIRONMENT'));
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'coverage', ...args], { cwd: WORKSPACE, encoding: 'utf8', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('cim-nats coverage (algebra layout)', () => {
  it('prints the table and exits 1 when a domain event would not be stored', () => {
    const r = cli('--env', 'dev', 'domains', 'playbooks', 'src');
    assert.equal(r.code, 1, r.err);
    assert.ok(r.out.startsWith("# Stream coverage\n\n12 subjects and patterns from 3 files checked against 8 streams in CIM-Start's stream layout (dev; domains billing, sales)."), r.out);
    assert.match(r.out, /\*\*Not covered:\*\* 1 domain event, command or snapshot subject would not be stored\./);
    const rows = r.out.split('\n').filter(l => l.startsWith('| `'));
    assert.equal(rows[0], '| `dev.domain.shipping.parcel.sent.550e8400-e29b-41d4-a716-446655440001` | publish | **none**, not stored (create DOMAIN_SHIPPING_EVENTS, `dev.domain.shipping.>`: `cim-nats init-streams --env dev shipping`) | [playbooks/orders.nats:13](playbooks/orders.nats#L13) |');
    assert.ok(rows.includes('| `dev.command.billing.invoice.issue` | publish | DOMAIN_BILLING_COMMANDS | [src/orders.ts:6](src/orders.ts#L6) |'), r.out);
    assert.equal(r.err, '');
  });

  it('exits 0 when every subject is captured', () => {
    const r = cli('--env', 'dev', 'domains', 'playbooks/billing.nats');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /\*\*Covered:\*\* every domain event, command and snapshot subject is captured, and no two streams overlap\./);
    assert.ok(r.out.includes('| `dev.snapshot.billing.invoice.550e8400-e29b-41d4-a716-446655440003` | publish | DOMAIN_BILLING_SNAPSHOTS | [playbooks/billing.nats:6](playbooks/billing.nats#L6) |'), r.out);
  });

  it('prints the data with --json', () => {
    const r = cli('--json', '--env', 'dev', 'domains', 'playbooks', 'src');
    assert.equal(r.code, 1);
    const data = JSON.parse(r.out) as { ok: boolean; summary: { uncaptured: number; captured: number }; subjects: { subject: string; problems: { code: string; fix?: unknown }[] }[] };
    assert.equal(data.ok, false);
    assert.deepEqual([data.summary.uncaptured, data.summary.captured], [1, 10]);
    assert.deepEqual(data.subjects[0]!.problems[0], {
      code: 'coverage/uncaptured', severity: 'error', start: 0, end: 68,
      message: "dev.domain.shipping.parcel.sent.550e8400-e29b-41d4-a716-446655440001 would not be stored: no stream in CIM-Start's stream layout (dev; domains billing, sales) captures dev.domain.shipping.>; create DOMAIN_SHIPPING_EVENTS with cim-nats init-streams --env dev shipping",
      fixes: [], subject: 'dev.domain.shipping.parcel.sent.550e8400-e29b-41d4-a716-446655440001',
      fix: { kind: 'init-streams', domain: 'shipping', environment: 'dev', stream: 'DOMAIN_SHIPPING_EVENTS', subjects: 'dev.domain.shipping.>' },
    });
  });

  it('takes domains from --domain, and every domain when none is defined or named', () => {
    const named = cli('--env', 'dev', '--domain', 'sales', 'playbooks/billing.nats');
    assert.equal(named.code, 1);
    assert.match(named.out, /`dev\.domain\.billing\.invoice\.issued\.[0-9a-f-]+` \| publish \| \*\*none\*\*, not stored \(create DOMAIN_BILLING_EVENTS/);
    const open = cli('playbooks');
    assert.equal(open.code, 0, open.out);
    assert.match(open.out, /checked against 15 streams in CIM-Start's stream layout \(dev, staging, prod\)\./);
    assert.match(open.out, /\| `dev\.domain\.shipping\.parcel\.sent\.[0-9a-f-]+` \| publish \| DOMAIN_\{DOMAIN\}_EVENTS \|/);
  });

  it('exits 1 when two streams of the layout overlap', () => {
    const r = cli('--algebra', 'overlap-algebra.json', 'playbooks/billing.nats');
    assert.equal(r.code, 1, r.err);
    assert.ok(r.out.includes('| DOMAIN_{DOMAIN}_EVENTS | `dev.domain.*.>` | EVERYTHING | `dev.>` | `dev.domain.*.>` |'), r.out);
    assert.match(r.out, /\*\*Not covered:\*\* 1 pair of streams overlaps\./);
  });

  it('exits 1 with one sentence when the server named cannot be reached', () => {
    const r = cli('--server', 'nats://127.0.0.1:1', 'playbooks');
    assert.equal(r.code, 1);
    assert.match(r.err, /^cim-nats: .*127\.0\.0\.1:1/);
    assert.equal(r.out, '');
  });

  for (const [args, reason] of [
    [[], /coverage needs at least one PATH/],
    [['--env', 'qa', 'playbooks'], /"qa" is not an environment of CIM-Start: use one of dev, staging, prod/],
    [['--domain', 'Order_History', 'playbooks'], /--domain Order_History is not a valid domain name/],
    [['--user', 'u', 'playbooks'], /unknown option --user/],
    [['no/such/dir'], /no such file or folder: no\/such\/dir/],
  ] as const) {
    it(`exits 2 with one line for coverage ${args.join(' ')}`, () => {
      const r = cli(...args);
      assert.equal(r.code, 2, r.out);
      assert.match(r.err, reason);
      assert.equal(r.err.trim().split('\n').length, 1);
    });
  }
});
