// "Initialize the CIM streams" on a real nats-server: the plan the user reads, applied idempotently, and what the
// server cannot do in place (storage, and retention on 2.9) or at all (a leading wildcard on 2.11+) said before sending.
import assert from 'node:assert/strict';
import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { preset } from '../../src/core/algebra/compiled';
import { applyCimStreamPlan, formatPlan, planCimStreams, type CimStreamPlan, type PlanCimStreamsOptions } from '../../src/nats/streams/initStreams';
import { cimStreamConfigs, durationToNanos } from '../../src/nats/streams/cimStreams';
import { versionAtLeast } from '../../src/nats/explorer/jsApi';
import { useNatsServer } from '../support/natsFixture';

const MB = 1024 * 1024;
const DAY = durationToNanos('1d');
const algebra = preset('cim-start');

const actions = (plan: CimStreamPlan) => plan.rows.map(r => [r.name, r.action]);

describe('Initialize the CIM streams (plan, apply)', () => {
  const nats = useNatsServer({ perTest: true, session: true });
  const plan = (options: Partial<PlanCimStreamsOptions> = {}) =>
    planCimStreams(nats.session, algebra, { domains: ['sales'], environment: 'dev', scope: 'environment', ...options });

  it('plans every stream as create on an empty server, applies it, and plans it all unchanged afterwards', async () => {
    const first = await plan({ domains: ['sales', 'order-history'] });
    assert.deepEqual(actions(first), [
      ['DOMAIN_SALES_EVENTS', 'create'], ['DOMAIN_ORDER_HISTORY_EVENTS', 'create'],
      ['DOMAIN_SALES_COMMANDS', 'create'], ['DOMAIN_ORDER_HISTORY_COMMANDS', 'create'],
      ['PROJECTIONS', 'create'], ['SAGAS', 'create'],
      ['DOMAIN_SALES_SNAPSHOTS', 'create'], ['DOMAIN_ORDER_HISTORY_SNAPSHOTS', 'create'],
    ]);
    const doc = formatPlan(first);
    assert.match(doc, /^# Initialize the CIM streams\n/);
    assert.ok(doc.includes(`| DOMAIN_SALES_EVENTS | \`dev.domain.sales.>\` | create | file, limits, max age 1d, dupe window 2m, msg ≤ 8 MiB, discard old, no rollup, 1 replica |`), doc);
    assert.ok(doc.includes('| DOMAIN_SALES_COMMANDS | `dev.command.sales.>` | create | memory, interest, max age 1h, dupe window 30s, max 10,000 msgs, max 100 MiB, msg ≤ 1 MiB, discard old, no rollup, 1 replica |'), doc);
    assert.ok(doc.includes(`**Totals:** 8 streams: 8 to create.`), doc);
    assert.ok(doc.includes(`nats-server ${nats.session.nc.info!.version}, single server`), doc);

    const seen: string[] = [];
    const results = await applyCimStreamPlan(nats.session, first, { onProgress: (r, i, total) => seen.push(`${i + 1}/${total} ${r.name} ${r.action}`) });
    assert.deepEqual(results.map(r => r.action), first.rows.map(() => 'created'));
    assert.equal(seen[0], '1/8 DOMAIN_SALES_EVENTS created');
    assert.equal(seen.length, 8);

    const second = await plan({ domains: ['sales', 'order-history'] });
    assert.deepEqual(second.rows.map(r => r.action), first.rows.map(() => 'unchanged'));
    assert.ok(formatPlan(second).includes('**Totals:** 8 streams: 8 unchanged.'));
    assert.deepEqual((await applyCimStreamPlan(nats.session, second)).map(r => r.action), first.rows.map(() => 'unchanged'));
  });

  it("lays the streams out as CIM-Start's init script does when the profile is off (subjects, storage, retention, dupe windows, sizes, rollup)", async () => {
    const p = await plan({ domains: ['sales'], profile: false });
    assert.equal(p.profile, undefined);
    await applyCimStreamPlan(nats.session, p);
    const jsm = await nats.jsm();
    const config = async (name: string) => (await jsm.streams.info(name)).config;

    const events = await config('DOMAIN_SALES_EVENTS');
    assert.deepEqual(events.subjects, ['dev.domain.sales.>']);
    assert.deepEqual([events.storage, events.retention, events.max_age, events.duplicate_window], ['file', 'limits', 30 * DAY, 2 * 60e9]);
    assert.deepEqual([events.max_msg_size, events.discard, events.allow_rollup_hdrs, events.num_replicas], [8 * MB, 'old', false, 1]);

    const commands = await config('DOMAIN_SALES_COMMANDS');
    assert.deepEqual(commands.subjects, ['dev.command.sales.>']);
    assert.deepEqual([commands.storage, commands.retention, commands.max_age, commands.duplicate_window], ['memory', 'interest', 3600e9, 30e9]);
    assert.deepEqual([commands.max_msgs, commands.max_bytes, commands.max_msg_size], [10_000, 100 * MB, 1 * MB]);

    const snapshots = await config('DOMAIN_SALES_SNAPSHOTS');
    assert.deepEqual(snapshots.subjects, ['dev.snapshot.sales.>']);
    assert.deepEqual([snapshots.storage, snapshots.retention, snapshots.max_age, snapshots.duplicate_window], ['file', 'limits', 90 * DAY, 5 * 60e9]);
    assert.deepEqual([snapshots.max_msg_size, snapshots.allow_rollup_hdrs], [8 * MB, true]);

    const projections = await config('PROJECTIONS');
    assert.deepEqual(projections.subjects, ['dev.projection.>']);
    assert.deepEqual([projections.storage, projections.retention, projections.max_age, projections.duplicate_window], ['file', 'limits', 7 * DAY, 60e9]);
    assert.deepEqual([projections.max_bytes, projections.max_msg_size, projections.allow_rollup_hdrs], [5 * 1024 * MB, 4 * MB, true]);

    const sagas = await config('SAGAS');
    assert.deepEqual(sagas.subjects, ['dev.saga.>']);
    assert.deepEqual([sagas.storage, sagas.retention, sagas.max_age, sagas.duplicate_window], ['file', 'limits', 7 * DAY, 60e9]);
    assert.deepEqual([sagas.max_msgs, sagas.max_bytes, sagas.max_msg_size, sagas.allow_rollup_hdrs], [1_000_000, 2 * 1024 * MB, 2 * MB, false]);
  });

  it("applies each environment's profile: dev 1 day, staging 7 days on file, prod the table's ages on file with 1 replica on a single server", async () => {
    const maxAges = (p: CimStreamPlan) => Object.fromEntries(p.rows.map(r => [r.name, r.config.max_age / 3600e9]));
    const dev = await plan();
    assert.deepEqual(maxAges(dev), { DOMAIN_SALES_EVENTS: 24, DOMAIN_SALES_COMMANDS: 1, PROJECTIONS: 24, SAGAS: 24, DOMAIN_SALES_SNAPSHOTS: 24 });
    assert.equal(dev.rows.find(r => r.name === 'DOMAIN_SALES_COMMANDS')!.config.storage, 'memory');

    const staging = await plan({ environment: 'staging' });
    assert.deepEqual(maxAges(staging), { DOMAIN_SALES_EVENTS: 168, DOMAIN_SALES_COMMANDS: 1, PROJECTIONS: 168, SAGAS: 168, DOMAIN_SALES_SNAPSHOTS: 168 });
    assert.deepEqual(staging.rows.map(r => r.config.storage), staging.rows.map(() => 'file'));
    assert.deepEqual(staging.rows[0]!.subjects, ['staging.domain.sales.>']);

    const prod = await plan({ environment: 'prod' });
    assert.deepEqual(maxAges(prod), { DOMAIN_SALES_EVENTS: 720, DOMAIN_SALES_COMMANDS: 1, PROJECTIONS: 168, SAGAS: 168, DOMAIN_SALES_SNAPSHOTS: 2160 });
    assert.deepEqual(prod.rows.map(r => [r.config.storage, r.config.num_replicas]), prod.rows.map(() => ['file', 1]));
    assert.equal(prod.replicas, 1);
    assert.equal(prod.replicasReason, `the prod profile wants 3 on a cluster, and ${nats.url} is a single server`);
    assert.ok(formatPlan(prod).includes(`- **Replicas:** 1 (the prod profile wants 3 on a cluster, and ${nats.url} is a single server)`));
    // the plan's configs are what the server takes
    assert.deepEqual((await applyCimStreamPlan(nats.session, prod)).map(r => r.action), prod.rows.map(() => 'created'));
    assert.deepEqual((await plan({ environment: 'prod' })).rows.map(r => r.action), prod.rows.map(() => 'unchanged'));
  });

  it('refuses more replicas than a single server keeps, before sending anything', async () => {
    const p = await plan({ replicas: 3 });
    assert.deepEqual(p.rows.map(r => r.action), p.rows.map(() => 'refused'));
    assert.equal(p.rows[0]!.reason, `${nats.url} is a single server, not a cluster: it cannot keep 3 replicas of a stream; ask for 1 replica, or initialize on a cluster.`);
    assert.deepEqual((await applyCimStreamPlan(nats.session, p)).map(r => r.action), p.rows.map(() => 'skipped'));
    assert.deepEqual(await (await nats.jsm()).streams.names().next(), []);
    await assert.rejects(plan({ replicas: 7 }), { message: '7 replicas is not possible: JetStream keeps 1 to 5 replicas of a stream.' });
  });

  it('plans an existing stream with another max age as an update of that field, and applies it in place', async () => {
    const jsm = await nats.jsm();
    const [events] = (await plan()).rows;
    await jsm.streams.add({ ...events!.config, max_age: 30 * DAY });
    const p = await plan();
    const row = p.rows.find(r => r.name === 'DOMAIN_SALES_EVENTS')!;
    assert.equal(row.action, 'update');
    assert.deepEqual(row.changes, [{ field: 'max_age', from: 30 * DAY, to: DAY }]);
    assert.ok(formatPlan(p).includes('| DOMAIN_SALES_EVENTS | `dev.domain.sales.>` | update | max age 30d → 1d |'));

    const [result] = await applyCimStreamPlan(nats.session, { ...p, rows: [row] });
    assert.equal(result!.action, 'updated');
    assert.deepEqual(result!.changes, row.changes);
    assert.equal((await jsm.streams.info('DOMAIN_SALES_EVENTS')).config.max_age, DAY);
    assert.equal((await plan()).rows.find(r => r.name === 'DOMAIN_SALES_EVENTS')!.action, 'unchanged');
  });

  it('plans a storage change as recreate, says why, and never applies it', async () => {
    const jsm = await nats.jsm();
    const [events] = (await plan()).rows;
    await jsm.streams.add({ ...events!.config, storage: StorageType.Memory });
    const js = nats.session.jetstream();
    for (let i = 0; i < 3; i++) await js.publish(`dev.domain.sales.order.created.${i}`, '{}');

    const p = await plan();
    const row = p.rows.find(r => r.name === 'DOMAIN_SALES_EVENTS')!;
    assert.equal(row.action, 'recreate');
    assert.deepEqual(row.changes, [{ field: 'storage', from: 'memory', to: 'file' }]);
    assert.equal(row.reason, 'Stream DOMAIN_SALES_EVENTS must be deleted and recreated to change storage from memory to file: Initialize never does that silently, and deleting it loses its 3 messages.');
    assert.ok(formatPlan(p).includes('1 to delete and recreate (not done)'));

    const results = await applyCimStreamPlan(nats.session, p);
    const skipped = results.find(r => r.name === 'DOMAIN_SALES_EVENTS')!;
    assert.deepEqual([skipped.action, skipped.reason], ['skipped', row.reason]);
    assert.deepEqual(results.filter(r => r !== skipped).map(r => r.action), ['created', 'created', 'created', 'created']);
    const after = await jsm.streams.info('DOMAIN_SALES_EVENTS');
    assert.deepEqual([after.config.storage, after.state.messages], ['memory', 3]);
  });

  // Measured: 2.9.10 refuses any retention change in place; 2.10+ change limits ↔ interest, not to or from workqueue.
  it('plans a retention change as an update where the server changes it in place (2.10+) and as recreate where it does not (2.9)', async () => {
    const jsm = await nats.jsm();
    const commands = (await plan()).rows.find(r => r.name === 'DOMAIN_SALES_COMMANDS')!;
    await jsm.streams.add({ ...commands.config, retention: RetentionPolicy.Limits });
    const row = (await plan()).rows.find(r => r.name === 'DOMAIN_SALES_COMMANDS')!;
    assert.deepEqual(row.changes, [{ field: 'retention', from: 'limits', to: 'interest' }]);
    if (!versionAtLeast(nats.session.nc.info!.version, 2, 10)) {
      assert.equal(row.action, 'recreate');
      assert.equal(row.reason, 'Stream DOMAIN_SALES_COMMANDS must be deleted and recreated to change retention from limits to interest: Initialize never does that silently.');
      return;
    }
    assert.equal(row.action, 'update');
    const [result] = await applyCimStreamPlan(nats.session, { ...(await plan()), rows: [row] });
    assert.equal(result!.action, 'updated');
    assert.equal((await jsm.streams.info('DOMAIN_SALES_COMMANDS')).config.retention, 'interest');
  });

  it('names the other stream and its subjects when a stream would overlap it, and creates the rest', async () => {
    const jsm = await nats.jsm();
    await jsm.streams.add({ name: 'LEGACY_EVENTS', subjects: ['dev.domain.*.>'] });
    const p = await plan();
    const row = p.rows.find(r => r.name === 'DOMAIN_SALES_EVENTS')!;
    assert.equal(row.action, 'conflict');
    assert.deepEqual(row.conflictsWith, [{ name: 'LEGACY_EVENTS', subjects: ['dev.domain.*.>'] }]);
    assert.equal(row.reason, `Stream DOMAIN_SALES_EVENTS's subjects (dev.domain.sales.>) overlap those of LEGACY_EVENTS (dev.domain.*.>) on ${nats.url}, and a server refuses two streams that capture the same subject: delete or narrow the other stream, or change this one's subjects.`);
    assert.ok(formatPlan(p).includes('LEGACY_EVENTS (dev.domain.\\*.>)'));
    const results = await applyCimStreamPlan(nats.session, p);
    assert.deepEqual(results.map(r => r.action), ['skipped', 'created', 'created', 'created', 'created']);
    assert.deepEqual((await jsm.streams.info('LEGACY_EVENTS')).config.subjects, ['dev.domain.*.>']);
  });

  it("plans a stream of the same name that captures another environment's subjects as a conflict, not an update that would move it", async () => {
    await applyCimStreamPlan(nats.session, await plan());
    const staging = await plan({ environment: 'staging' });
    const row = staging.rows.find(r => r.name === 'DOMAIN_SALES_EVENTS')!;
    assert.equal(row.action, 'conflict');
    assert.equal(row.reason, `Stream DOMAIN_SALES_EVENTS on ${nats.url} captures dev.domain.sales.>, and this plan's subjects (staging.domain.sales.>) leave out dev.domain.sales.>: updating it would stop it storing them. Initialize never narrows a stream's subjects: use a server or account per environment, or change the stream by hand.`);
    // staging keeps commands on file: that stream would have to be recreated first
    assert.deepEqual(staging.rows.map(r => r.action), ['conflict', 'recreate', 'conflict', 'conflict', 'conflict']);
    await applyCimStreamPlan(nats.session, staging);
    assert.deepEqual((await (await nats.jsm()).streams.info('DOMAIN_SALES_EVENTS')).config.subjects, ['dev.domain.sales.>']);
  });

  // nats-server 2.11+ refuse a first token that is a wildcard (it could capture $JS.API.>); 2.9 and 2.10 accept it.
  it("plans CIM-Start's all-environments form as create where the server accepts it, and as refused with the environment-scoped suggestion on 2.11+", async () => {
    const version = nats.session.nc.info!.version;
    const p = await plan({ scope: 'all' });
    assert.deepEqual(p.rows.map(r => r.subjects[0]), ['*.domain.sales.>', '*.command.sales.>', '*.projection.>', '*.saga.>', '*.snapshot.sales.>']);
    if (!versionAtLeast(version, 2, 11)) {
      assert.deepEqual(p.rows.map(r => r.action), p.rows.map(() => 'create'));
      assert.deepEqual((await applyCimStreamPlan(nats.session, p)).map(r => r.action), p.rows.map(() => 'created'));
      assert.deepEqual((await (await nats.jsm()).streams.info('SAGAS')).config.subjects, ['*.saga.>']);
      assert.deepEqual((await plan({ scope: 'all' })).rows.map(r => r.action), p.rows.map(() => 'unchanged'));
      return;
    }
    assert.deepEqual(p.rows.map(r => r.action), p.rows.map(() => 'refused'));
    const events = p.rows[0]!;
    assert.equal(events.reason, `nats-server ${version} on ${nats.url} refuses stream subjects that start with a wildcard ("*.domain.sales.>", CIM-Start's all-environments form) because they overlap JetStream's API: use the environment-scoped form "dev.domain.sales.>" (one stream per environment) instead.`);
    assert.deepEqual(events.suggestion, { subjects: ['dev.domain.sales.>'] });
    assert.ok(formatPlan(p).includes('**Totals:** 5 streams: 5 refused.'));
    assert.deepEqual((await applyCimStreamPlan(nats.session, p)).map(r => r.action), p.rows.map(() => 'skipped'));
    assert.equal((await (await nats.jsm()).streams.names().next()).length, 0);

    // a row sent anyway (a plan from an older server, say) fails with the same sentence and suggestion
    const [forced] = await applyCimStreamPlan(nats.session, { ...p, rows: [{ ...events, action: 'create' }] });
    assert.deepEqual([forced!.action, forced!.reason, forced!.suggestion], ['failed', events.reason, { subjects: ['dev.domain.sales.>'] }]);
  });

  it('stops sending when the signal aborts, and says which streams were not sent', async () => {
    const p = await plan();
    const abort = new AbortController();
    const results = await applyCimStreamPlan(nats.session, p, { signal: abort.signal, onProgress: (_r, i) => i === 1 && abort.abort() });
    assert.deepEqual(results.map(r => r.action), ['created', 'created', 'cancelled', 'cancelled', 'cancelled']);
    assert.equal(results[2]!.reason, 'Initialize was cancelled before stream PROJECTIONS was created.');
    assert.deepEqual((await plan()).rows.map(r => r.action), ['unchanged', 'unchanged', 'create', 'create', 'create']);
  });

  it('refuses a domain name the algebra does not allow, before talking to the server', async () => {
    await assert.rejects(plan({ domains: ['Sales'] }), { message: '"Sales" is not a valid domain name for CIM-Start (kebab case, e.g. order-history).' });
    assert.equal(cimStreamConfigs(algebra, { domains: ['sales'], environment: 'dev', scope: 'environment' }).length, 5);
  });
});
