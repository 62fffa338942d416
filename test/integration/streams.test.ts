// The algebra's streams on a real nats-server: created as specified, idempotent, overlaps reported and skipped,
// and what current servers refuse (a leading wildcard, ">" alone) explained with the form they accept.
import assert from 'node:assert/strict';
import { StorageType } from '@nats-io/jetstream';
import { preset } from '../../src/core/algebra/compiled';
import { cimStreamConfigs, durationToNanos, ensureStreams } from '../../src/nats/streams/cimStreams';
import { versionAtLeast } from '../../src/nats/explorer/jsApi';
import { useNatsServer } from '../support/natsFixture';

const MB = 1024 * 1024;

describe('CIM streams on nats-server', () => {
  const nats = useNatsServer({ perTest: true, session: true });

  it('creates every stream the algebra names, with its subjects, storage, retention and limits', async () => {
    const jsm = await nats.jsm();
    const configs = cimStreamConfigs(preset('cim-start'), { domains: ['sales', 'order-history'], environment: 'dev', scope: 'environment' });
    const results = await ensureStreams(jsm, configs);

    assert.deepEqual(results.map(r => [r.name, r.action]), [
      ['DOMAIN_SALES_EVENTS', 'created'], ['DOMAIN_ORDER_HISTORY_EVENTS', 'created'],
      ['DOMAIN_SALES_COMMANDS', 'created'], ['DOMAIN_ORDER_HISTORY_COMMANDS', 'created'],
      ['PROJECTIONS', 'created'], ['SAGAS', 'created'],
      ['DOMAIN_SALES_SNAPSHOTS', 'created'], ['DOMAIN_ORDER_HISTORY_SNAPSHOTS', 'created'],
    ]);
    const events = (await jsm.streams.info('DOMAIN_ORDER_HISTORY_EVENTS')).config;
    assert.deepEqual(events.subjects, ['dev.domain.order-history.>']);
    assert.equal(events.storage, 'file');
    assert.equal(events.retention, 'limits');
    assert.equal(events.max_age, 30 * 24 * 3600 * 1e9);
    assert.equal(events.duplicate_window, 2 * 60 * 1e9);
    assert.equal(events.max_msg_size, 8 * MB);
    assert.equal(events.discard, 'old');
    assert.equal(events.allow_rollup_hdrs, false);

    const commands = (await jsm.streams.info('DOMAIN_SALES_COMMANDS')).config;
    assert.deepEqual(commands.subjects, ['dev.command.sales.>']);
    assert.equal(commands.storage, 'memory');
    assert.equal(commands.retention, 'interest');
    assert.equal(commands.max_msgs, 10_000);
    assert.equal(commands.max_bytes, 100 * MB);
    assert.equal(commands.duplicate_window, 30 * 1e9);

    const projections = (await jsm.streams.info('PROJECTIONS')).config;
    assert.deepEqual(projections.subjects, ['dev.projection.>']);
    assert.equal(projections.allow_rollup_hdrs, true);
    assert.equal(projections.max_bytes, 5 * 1024 * MB);
    assert.equal(projections.max_age, durationToNanos('7d'));
  });

  it('reports every stream unchanged when run a second time', async () => {
    const jsm = await nats.jsm();
    const configs = cimStreamConfigs(preset('cim-start'), { domains: ['inventory'], environment: 'staging', scope: 'environment' });
    await ensureStreams(jsm, configs);
    const seen: string[] = [];
    const again = await ensureStreams(jsm, configs, { onProgress: (r, i, total) => seen.push(`${i + 1}/${total} ${r.name} ${r.action}`) });
    assert.deepEqual(again.map(r => r.action), configs.map(() => 'unchanged'));
    assert.equal(seen.length, configs.length);
    assert.equal(seen[0], `1/${configs.length} DOMAIN_INVENTORY_EVENTS unchanged`);
  });

  it('updates a stream whose limits changed and names the changed fields', async () => {
    const jsm = await nats.jsm();
    const [events] = cimStreamConfigs(preset('cim-start'), { domains: ['customer'], environment: 'dev', scope: 'environment' });
    await ensureStreams(jsm, [events!]);
    const [result] = await ensureStreams(jsm, [{ ...events!, max_age: durationToNanos('1d') }]);
    assert.equal(result!.action, 'updated');
    assert.deepEqual(result!.changed, ['max_age']);
    assert.equal((await jsm.streams.info('DOMAIN_CUSTOMER_EVENTS')).config.max_age, durationToNanos('1d'));
  });

  // nats-server 2.11+ refuse a subject whose first token is a wildcard unless the stream is no-ack (it could capture
  // $JS.API.>, nats-server PR #6786); 2.9 and 2.10 accept it.
  it('uses * for the environment with scope "all" (CIM-Start\'s docs) where the server accepts it; 2.11+ refuse it, so the reason says why and suggests the environment-scoped subjects', async () => {
    const jsm = await nats.jsm();
    const version = nats.session.nc.info!.version;
    const configs = cimStreamConfigs(preset('cim-start'), { domains: ['sales'], environment: 'dev', scope: 'all' });
    const results = await ensureStreams(jsm, configs, { describe: nats.session.describe, environment: 'dev', serverVersion: version });

    if (!versionAtLeast(version, 2, 11)) {
      assert.deepEqual(results.map(r => r.action), configs.map(() => 'created'));
      assert.deepEqual((await jsm.streams.info('DOMAIN_SALES_EVENTS')).config.subjects, ['*.domain.sales.>']);
      assert.deepEqual((await jsm.streams.info('SAGAS')).config.subjects, ['*.saga.>']);
      return;
    }
    assert.deepEqual(results.map(r => r.action), configs.map(() => 'failed'));
    const events = results.find(r => r.name === 'DOMAIN_SALES_EVENTS')!;
    assert.equal(events.reason, `nats-server ${version} on ${nats.url} refuses stream subjects that start with a wildcard ("*.domain.sales.>", CIM-Start's all-environments form) because they overlap JetStream's API: use the environment-scoped form "dev.domain.sales.>" (one stream per environment) instead.`);
    assert.deepEqual(events.suggestion, { subjects: ['dev.domain.sales.>'] });
    assert.deepEqual(results.find(r => r.name === 'SAGAS')!.suggestion, { subjects: ['dev.saga.>'] });
    // the suggestion is what the user can take: every suggested stream is created on the same server
    const suggested = configs.map((c, i) => ({ ...c, subjects: results[i]!.suggestion!.subjects }));
    assert.deepEqual((await ensureStreams(jsm, suggested)).map(r => r.action), configs.map(() => 'created'));
    assert.deepEqual((await jsm.streams.info('DOMAIN_SALES_EVENTS')).config.subjects, ['dev.domain.sales.>']);
  });

  // 2.10+ refuse a stream on ">" alone unless it is no-ack; 2.9 accepts it.
  it('creates a stream on ">" where the server accepts it; 2.10+ refuse it, so the reason says why and suggests the environment\'s subjects', async () => {
    const jsm = await nats.jsm();
    const version = nats.session.nc.info!.version;
    const [events] = cimStreamConfigs(preset('cim-start'), { domains: ['sales'], environment: 'dev', scope: 'environment' });
    const [result] = await ensureStreams(jsm, [{ ...events!, name: 'EVERYTHING', subjects: ['>'] }], { describe: nats.session.describe, environment: 'dev', serverVersion: version });

    if (!versionAtLeast(version, 2, 10)) {
      assert.equal(result!.action, 'created');
      assert.equal(result!.suggestion, undefined);
      return;
    }
    assert.equal(result!.action, 'failed');
    assert.equal(result!.reason, `nats-server ${version} on ${nats.url} refuses a stream on ">" because it would capture every subject, JetStream's API included: use "dev.>" (the environment's subjects) instead.`);
    assert.deepEqual(result!.suggestion, { subjects: ['dev.>'] });
  });

  it('reports a stream that overlaps an existing one with the other stream named, and creates the rest', async () => {
    const jsm = await nats.jsm();
    // every domain's events of dev: a form every server version accepts (a leading * is refused by 2.11+)
    await jsm.streams.add({ name: 'LEGACY_EVENTS', subjects: ['dev.domain.*.>'] });
    const configs = cimStreamConfigs(preset('cim-start'), { domains: ['sales'], environment: 'dev', scope: 'environment' });
    const results = await ensureStreams(jsm, configs, { describe: nats.session.describe });

    const failed = results.find(r => r.name === 'DOMAIN_SALES_EVENTS')!;
    assert.equal(failed.action, 'failed');
    assert.equal(failed.reason, `Stream DOMAIN_SALES_EVENTS's subjects overlap those of LEGACY_EVENTS (dev.domain.*.>) on ${nats.url}: delete or narrow the other stream, or change this one's subjects.`);
    assert.equal(failed.suggestion, undefined);
    assert.deepEqual(results.filter(r => r !== failed).map(r => r.action), ['created', 'created', 'created', 'created']);
  });

  it('reports a storage change as a failure that needs the stream recreated', async () => {
    const jsm = await nats.jsm();
    const [events] = cimStreamConfigs(preset('cim-start'), { domains: ['sales'], environment: 'dev', scope: 'environment' });
    await ensureStreams(jsm, [events!]);
    const [result] = await ensureStreams(jsm, [{ ...events!, storage: StorageType.Memory }], { describe: nats.session.describe });
    assert.equal(result!.action, 'failed');
    assert.equal(result!.reason, `Stream DOMAIN_SALES_EVENTS cannot change its storage type on ${nats.url}: delete and recreate it to move it.`);
  });

  it('refuses a domain name the algebra does not allow, before talking to the server', () => {
    assert.throws(
      () => cimStreamConfigs(preset('cim-start'), { domains: ['Sales'], environment: 'dev', scope: 'environment' }),
      { message: '"Sales" is not a valid domain name for CIM-Start (kebab case, e.g. order-history).' },
    );
  });
});
