// `cim-nats find`, `trace` and `history` as processes against a nats-server of their own: what a CI script reads on
// stdout, the sentences on stderr, and the exit codes it decides by.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJsonLine } from '../../../src/core/message/format';
import { useNatsServer } from '../../support/natsFixture';
import { runCli, type CliRun } from '../../support/cli';
import { SEED, createSeedStreams, publishSeed } from '../../support/traceSeed';

// an empty folder: no .cim/algebra.json, the preset algebra
const dir = mkdtempSync(join(tmpdir(), 'cim-nats-find-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));

describe('cim-nats find, trace and history', function () {
  this.timeout(60_000);
  const nats = useNatsServer({ session: true });
  const run = (command: string, ...args: string[]): Promise<CliRun> => runCli([command, '--server', nats.url, ...args], { cwd: dir, timeoutMs: 20_000 });

  before(async () => {
    await createSeedStreams(await nats.jsm());
    await publishSeed(nats.session.jetstream());
  });

  it('find prints one JSON line per match in time order, the summary on stderr, and exits 0', async () => {
    const r = await run('find', '--filter', 'dev.>', '--where', 'event.data.customer_id == "123"', '--json');
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    const subjects = lines.map((l, i) => {
      const p = parseJsonLine(l, i + 1);
      assert.ok(p.ok);
      return p.message.subject;
    });
    assert.deepEqual(subjects, ['dev.command.sales.order.place', `dev.domain.sales.order.placed.${SEED.ids.placed}`, `dev.domain.sales.order.confirmed.${SEED.ids.confirmed}`, `dev.domain.sales.order.shipped.${SEED.ids.shipped}`]);
    assert.match(r.err, /^4 matches in 12 messages/m);
    assert.match(r.err, /could not be evaluated on \d+ messages \(they do not match\)/);
  });

  it('find exits 1 with none, and 2 on an expression error said with its column', async () => {
    const none = await run('find', SEED.streams.events, '--where', 'size > 100000');
    assert.equal(none.code, 1);
    assert.equal(none.out, '');
    assert.match(none.err, /^0 matches in 6 messages/m);
    const bad = await run('find', SEED.streams.events, '--where', 'event.data.x ==');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--where: The expression ends after == at column 14/);
    assert.match(bad.err, /\n {15}\^/);
    const unknown = await run('find', SEED.streams.events, '--where', 'evnt.data == 1');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /"evnt" is no variable/);
    const time = await run('find', SEED.streams.events, '--since', 'yesterday-ish');
    assert.equal(time.code, 2);
    assert.match(time.err, /--since/);
  });

  it('find says it stopped at --limit', async () => {
    const r = await run('find', SEED.streams.events, '--limit', '2');
    assert.equal(r.code, 0);
    assert.equal(r.out.trim().split('\n').length, 2);
    assert.match(r.err, /Stopped at 2 matches \(--limit\)/);
  });

  it('find names a filter that no stream stores', async () => {
    const r = await run('find', '--filter', 'prod.domain.>');
    assert.equal(r.code, 1);
    assert.match(r.err, /No stream stores "prod\.domain\.>"/);
  });

  it('trace prints the tree indented, flags what is broken, and exits 1 because a cause was not found', async () => {
    const r = await run('trace', SEED.correlationId);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.split('\n');
    assert.match(lines[0]!, /^8 messages with correlation id .*: 1 whose cause was not found, 1 with no cause, 1 command no event followed\.$/);
    assert.match(lines[1]!, /^\S+ {2}command {2}dev\.command\.sales\.order\.place {2}DOMAIN_SALES_COMMANDS #1$/);
    assert.match(lines[2]!, /^ {2}\S+ {2}event {2}dev\.domain\.sales\.order\.placed\.\S+ {2}DOMAIN_SALES_EVENTS #\d+ {2}\+\d/);
    assert.match(r.out, /! Its cause ffff0000-0000-4000-8000-00000000dead was not found: it may have been stored before the window/);
    assert.match(r.err, /Searched DOMAIN_SALES_COMMANDS, DOMAIN_SALES_EVENTS, DOMAIN_SALES_SNAPSHOTS, PROJECTIONS, SAGAS between/);
  });

  it('trace --json gives each node its ids, stream, seq, subject, time and children', async () => {
    const r = await run('trace', '--json', '--window', '1h', SEED.correlationId);
    const tree = JSON.parse(r.out) as { complete: boolean; roots: { messageId: string; stream: string; seq: number; subject: string; time: string; children: { causationId: string }[] }[] };
    assert.equal(tree.complete, false);
    const origin = tree.roots[0]!;
    assert.equal(origin.messageId, SEED.ids.placeOrder);
    assert.equal(origin.stream, SEED.streams.commands);
    assert.equal(origin.seq, 1);
    assert.equal(origin.children[0]!.causationId, SEED.ids.placeOrder);
  });

  it('trace says where it looked when it finds nothing, and refuses a window that is no window', async () => {
    const r = await run('trace', '--around', '2020-01-01T00:00:00Z', SEED.correlationId);
    assert.equal(r.code, 1);
    assert.match(r.err, /No message with correlation id .* between 2019-12-31T23:45:00\.000Z and 2020-01-01T00:15:00\.000Z: widen the window/);
    const bad = await run('trace', '--window', 'a while', SEED.correlationId);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--window: "a while" is no window/);
  });

  it('history shows the snapshot first, the events in order, and exits 1 on the gap', async () => {
    const r = await run('history', '--env', 'dev', 'sales', 'order', SEED.aggregateId);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines[0], '3 events after a snapshot, latest version 4: 1 gap.');
    assert.match(lines[1]!, /snapshot {2}v2 {2}dev\.snapshot\.sales\.order\./);
    assert.match(r.out, /OrderShipped {2}v4 .*\n {2}! Version 4 follows 2: version 3 is missing/);
    const clean = await run('history', '--env', 'dev', '--json', 'sales', 'order', SEED.otherAggregateId);
    assert.equal(clean.code, 0, clean.err);
    assert.deepEqual((JSON.parse(clean.out) as { events: { version: number }[] }).events.map(e => e.version), [1, 2]);
    const noEnv = await run('history', 'sales', 'order', SEED.aggregateId);
    assert.equal(noEnv.code, 2);
    assert.match(noEnv.err, /--env ENV or set CIM_ENVIRONMENT/);
  });
});
