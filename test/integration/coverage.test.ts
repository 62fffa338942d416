// `cim-nats coverage` against a real nats-server holding the CIM streams of two domains: what it stores, what it would lose.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { AckPolicy } from '@nats-io/jetstream';
import { preset } from '../../src/core/algebra/compiled';
import { cimStreamConfigs, ensureStreams } from '../../src/nats/streams/cimStreams';
import { useNatsServer } from '../support/natsFixture';
import { runCli } from '../support/cli';

const ROOT = join(__dirname, '../../..');
const WORKSPACE = join(ROOT, 'test/fixtures/coverage-workspace');

/** The built CLI as a process (async: the server lives in this one), with only the NATS_* variables given. */
const cli = (args: string[], natsEnv: Record<string, string> = {}) => runCli(['coverage', ...args], { cwd: WORKSPACE, env: natsEnv, bundle: true });

describe('cim-nats coverage against a server', function () {
  this.timeout(60_000);
  const nats = useNatsServer({ session: true });

  before(async () => {
    const jsm = await nats.jsm();
    const results = await ensureStreams(jsm, cimStreamConfigs(preset('cim-start'), { domains: ['sales', 'billing'], environment: 'dev', scope: 'environment' }));
    assert.deepEqual(results.map(r => r.action), results.map(() => 'created'), JSON.stringify(results.map(r => r.reason)));
    await jsm.consumers.add('DOMAIN_SALES_EVENTS', { durable_name: 'order-projector', filter_subject: 'dev.domain.sales.order.>', ack_policy: AckPolicy.Explicit });
    await nats.session.jetstream().publish('dev.domain.sales.order.placed.550e8400-e29b-41d4-a716-446655440009', '{}');
  });

  it("names the server's stream for each captured subject and exits 1 for the domain it has no streams for", async () => {
    const r = await cli(['--server', nats.url, 'domains', 'playbooks', 'src']);
    assert.equal(r.code, 1, r.err);
    assert.ok(r.out.includes(`checked against 8 streams on ${nats.url}.`), r.out);
    const rows = r.out.split('\n').filter(l => l.startsWith('| `'));
    assert.equal(rows[0], `| \`dev.domain.shipping.parcel.sent.550e8400-e29b-41d4-a716-446655440001\` | publish | **none**, not stored (create DOMAIN_SHIPPING_EVENTS, \`dev.domain.shipping.>\`: \`cim-nats init-streams --env dev shipping\`) | [playbooks/orders.nats:13](playbooks/orders.nats#L13) |`);
    for (const [subject, stream] of [
      ['`dev.command.sales.order.place`', 'DOMAIN_SALES_COMMANDS'],
      ['`dev.command.billing.invoice.issue`', 'DOMAIN_BILLING_COMMANDS'],
      ['`dev.snapshot.billing.invoice.550e8400-e29b-41d4-a716-446655440003`', 'DOMAIN_BILLING_SNAPSHOTS'],
      ['`dev.domain.sales.order.shipped.…`', 'DOMAIN_SALES_EVENTS'],
      ['`dev.projection.>`', 'PROJECTIONS'],
      ['`dev.domain.*.order.>`', 'DOMAIN_BILLING_EVENTS (part), DOMAIN_SALES_EVENTS (part)'],
    ]) {
      assert.ok(rows.some(l => l.startsWith(`| ${subject} | `) && l.includes(` | ${stream} | `)), `${subject} → ${stream}\n${r.out}`);
    }
    assert.match(r.out, /## Streams whose subjects overlap\n\nNone/);
    assert.match(r.out, /## Consumers whose filters match nothing\n\nNone\./);
  });

  it('exits 0 when the server captures every subject, with the server from NATS_URL', async () => {
    const r = await cli(['domains', 'playbooks/billing.nats'], { NATS_URL: nats.url });
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /\*\*Covered:\*\*/);
  });

  it("gives the server's streams and the uncaptured subject's fix as data", async () => {
    const r = await cli(['--server', nats.url, '--json', 'playbooks']);
    assert.equal(r.code, 1, r.err);
    const data = JSON.parse(r.out) as {
      ok: boolean;
      layout: { source: string; streams: { name: string; subjects: string[]; source: string; messages?: number; storage?: string }[] };
      subjects: { subject: string; streams: { name: string }[]; problems: { code: string; fix?: unknown }[] }[];
    };
    assert.equal(data.layout.source, 'server');
    const events = data.layout.streams.find(s => s.name === 'DOMAIN_SALES_EVENTS')!;
    assert.deepEqual([events.subjects, events.source, events.messages, events.storage], [['dev.domain.sales.>'], 'server', 1, 'file']);
    const lost = data.subjects.filter(s => s.problems.some(p => p.code === 'coverage/uncaptured'));
    assert.deepEqual(lost.map(s => s.problems[0]!.fix), [{ kind: 'init-streams', domain: 'shipping', environment: 'dev', stream: 'DOMAIN_SHIPPING_EVENTS', subjects: 'dev.domain.shipping.>' }]);
    assert.deepEqual(data.subjects.find(s => s.subject === 'dev.domain.sales.>')!.streams.map(s => s.name), ['DOMAIN_SALES_EVENTS']);
  });

  it('is captured once the missing streams exist', async () => {
    const jsm = await nats.jsm();
    const name = 'DOMAIN_SHIPPING_EVENTS';
    await jsm.streams.add({ name, subjects: ['dev.domain.shipping.>'] });
    try {
      const r = await cli(['--server', nats.url, 'playbooks/orders.nats']);
      assert.equal(r.code, 0, r.out);
      assert.ok(r.out.includes(`| DOMAIN_SHIPPING_EVENTS | [playbooks/orders.nats:13](playbooks/orders.nats#L13) |`), r.out);
    } finally {
      await jsm.streams.delete(name);
    }
  });
});
