// The algebra's streams on a real nats-server: created as specified, idempotent, overlaps reported and skipped.
import assert from 'node:assert/strict';
import { StorageType } from '@nats-io/jetstream';
import { preset } from '../../src/core/algebra/compiled';
import { connectNats, type NatsSession } from '../../src/nats/connection';
import { cimStreamConfigs, durationToNanos, ensureStreams } from '../../src/nats/streams';
import { startNatsServer, type RunningNatsServer } from '../../src/nats/localServer';

const MB = 1024 * 1024;

describe('CIM streams on nats-server', () => {
  let server: RunningNatsServer | undefined;
  let session: NatsSession | undefined;

  beforeEach(async () => {
    server = await startNatsServer();
    session = await connectNats({ servers: server.url });
  });
  afterEach(async () => {
    await session?.close();
    await server?.stop();
  });

  it('creates every stream the algebra names, with its subjects, storage, retention and limits', async () => {
    const jsm = await session!.jetstreamManager();
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
    const jsm = await session!.jetstreamManager();
    const configs = cimStreamConfigs(preset('cim-start'), { domains: ['inventory'], environment: 'staging', scope: 'environment' });
    await ensureStreams(jsm, configs);
    const seen: string[] = [];
    const again = await ensureStreams(jsm, configs, { onProgress: (r, i, total) => seen.push(`${i + 1}/${total} ${r.name} ${r.action}`) });
    assert.deepEqual(again.map(r => r.action), configs.map(() => 'unchanged'));
    assert.equal(seen.length, configs.length);
    assert.equal(seen[0], `1/${configs.length} DOMAIN_INVENTORY_EVENTS unchanged`);
  });

  it('updates a stream whose limits changed and names the changed fields', async () => {
    const jsm = await session!.jetstreamManager();
    const [events] = cimStreamConfigs(preset('cim-start'), { domains: ['customer'], environment: 'dev', scope: 'environment' });
    await ensureStreams(jsm, [events!]);
    const [result] = await ensureStreams(jsm, [{ ...events!, max_age: durationToNanos('1d') }]);
    assert.equal(result!.action, 'updated');
    assert.deepEqual(result!.changed, ['max_age']);
    assert.equal((await jsm.streams.info('DOMAIN_CUSTOMER_EVENTS')).config.max_age, durationToNanos('1d'));
  });

  it('uses * for the environment with scope "all", as in CIM-Start\'s docs', async () => {
    const jsm = await session!.jetstreamManager();
    const configs = cimStreamConfigs(preset('cim-start'), { domains: ['sales'], environment: 'dev', scope: 'all' });
    await ensureStreams(jsm, configs);
    assert.deepEqual((await jsm.streams.info('DOMAIN_SALES_EVENTS')).config.subjects, ['*.domain.sales.>']);
    assert.deepEqual((await jsm.streams.info('SAGAS')).config.subjects, ['*.saga.>']);
  });

  it('reports a stream that overlaps an existing one with the other stream named, and creates the rest', async () => {
    const jsm = await session!.jetstreamManager();
    await jsm.streams.add({ name: 'LEGACY_SALES', subjects: ['*.domain.sales.>'] });
    const configs = cimStreamConfigs(preset('cim-start'), { domains: ['sales'], environment: 'dev', scope: 'environment' });
    const results = await ensureStreams(jsm, configs, { describe: session!.describe });

    const failed = results.find(r => r.name === 'DOMAIN_SALES_EVENTS')!;
    assert.equal(failed.action, 'failed');
    assert.equal(failed.reason, `Stream DOMAIN_SALES_EVENTS's subjects overlap those of LEGACY_SALES (*.domain.sales.>) on ${server!.url}: delete or narrow the other stream, or change this one's subjects.`);
    assert.deepEqual(results.filter(r => r !== failed).map(r => r.action), ['created', 'created', 'created', 'created']);
  });

  it('reports a storage change as a failure that needs the stream recreated', async () => {
    const jsm = await session!.jetstreamManager();
    const [events] = cimStreamConfigs(preset('cim-start'), { domains: ['sales'], environment: 'dev', scope: 'environment' });
    await ensureStreams(jsm, [events!]);
    const [result] = await ensureStreams(jsm, [{ ...events!, storage: StorageType.Memory }], { describe: session!.describe });
    assert.equal(result!.action, 'failed');
    assert.equal(result!.reason, `Stream DOMAIN_SALES_EVENTS cannot change its storage type on ${server!.url}: delete and recreate it to move it.`);
  });

  it('refuses a domain name the algebra does not allow, before talking to the server', () => {
    assert.throws(
      () => cimStreamConfigs(preset('cim-start'), { domains: ['Sales'], environment: 'dev', scope: 'environment' }),
      { message: '"Sales" is not a valid domain name for CIM-Start (kebab case, e.g. order-history).' },
    );
  });
});
