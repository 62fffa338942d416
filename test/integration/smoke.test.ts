// The smoke test CIM-Start's test-domain-events.sh runs, on a real nats-server with the seed's accounts and JetStream
// domain: every sample lands in the stream the algebra names, or the row says why not.
import assert from 'node:assert/strict';
import { AckPolicy } from '@nats-io/jetstream';
import { preset } from '../../src/core/algebra/compiled';
import type { NatsSession } from '../../src/nats/connection/connect';
import { CIM_DEV_USERS, cimDevServerConfig } from '../../dev/devServerConfig';
import { smokeTest, type SmokeRow } from '../../src/nats/smoke/smokeTest';
import { cimStreamConfigs, ensureStreams } from '../../src/nats/streams/cimStreams';
import { useNatsServers } from '../support/natsFixture';

const algebra = preset('cim-start');
const { user, pass } = CIM_DEV_USERS.domain;

describe('smoke test of the CIM streams', () => {
  const nats = useNatsServers();
  let session: NatsSession | undefined;

  const withStreams = async (config = cimDevServerConfig()) => {
    await nats.start({ config, domain: 'cim' });
    session = await nats.connect({ user, pass, jetStreamDomain: 'cim', timeoutMs: 2000 });
  };
  const init = async () => {
    const results = await ensureStreams(await session!.jetstreamManager(), cimStreamConfigs(algebra, { domains: ['sales'], environment: 'dev', scope: 'environment' }));
    assert.deepEqual(results.map(r => r.reason), results.map(() => undefined));
  };
  /** The command handler a CIM system runs: the commands stream keeps messages only while it is interested. */
  const commandHandler = async () => {
    await (await session!.jetstreamManager()).consumers.add('DOMAIN_SALES_COMMANDS', { durable_name: 'sales-handler', ack_policy: AckPolicy.Explicit });
  };
  /** `landed domain sales.order.created` → verdict: the subject without environment, category and ids. */
  const verdicts = (rows: SmokeRow[]) =>
    Object.fromEntries(rows.map(r => [`${r.check} ${r.category} ${r.subject.split('.').slice(2).filter(t => !/^[0-9a-f-]{36}$/.test(t)).join('.')}`, r.verdict]));

  afterEach(() => {
    session = undefined;
  });

  it('lands one sample of each category in the stream the algebra names, and proves dedupe', async () => {
    await withStreams();
    await init();
    await commandHandler();
    const seen: SmokeRow[] = [];
    const result = await smokeTest(session!, { algebra, environment: 'dev', domains: ['sales'], onRow: r => seen.push(r) });
    assert.equal(result.ok, true, JSON.stringify(result.rows, null, 1));
    assert.deepEqual(seen, result.rows);
    assert.deepEqual(result.rows.map(r => [r.check, r.category, r.stream]), [
      ['landed', 'domain', 'DOMAIN_SALES_EVENTS'],
      ['landed', 'domain', 'DOMAIN_SALES_EVENTS'],
      ['landed', 'command', 'DOMAIN_SALES_COMMANDS'],
      ['landed', 'snapshot', 'DOMAIN_SALES_SNAPSHOTS'],
      ['landed', 'projection', 'PROJECTIONS'],
      ['landed', 'saga', 'SAGAS'],
      ['dedupe', 'domain', 'DOMAIN_SALES_EVENTS'],
    ]);
    assert.equal(result.rows[6]!.seq, result.rows[0]!.seq);
    const jsm = await session!.jetstreamManager();
    const m = await jsm.streams.getMessage('DOMAIN_SALES_EVENTS', { seq: result.rows[0]!.seq! });
    assert.equal(m!.subject, result.rows[0]!.subject);
    assert.equal((await jsm.streams.info('DOMAIN_SALES_EVENTS')).state.messages, 2, 'the re-publish stored nothing');
  });

  it('names why a sample did not land: no stream, subjects that do not cover it', async () => {
    await withStreams();
    await init();
    const jsm = await session!.jetstreamManager();
    await jsm.streams.delete('SAGAS');
    const projections = (await jsm.streams.info('PROJECTIONS')).config;
    await jsm.streams.update('PROJECTIONS', { ...projections, subjects: ['dev.projection.inventory.>'] });

    const result = await smokeTest(session!, { algebra, environment: 'dev', domains: ['sales'] });
    assert.equal(result.ok, false);
    const v = verdicts(result.rows);
    assert.equal(v['landed domain sales.order.created'], 'ok');
    assert.equal(v['landed snapshot sales.order'], 'ok');
    assert.equal(v['landed saga order-fulfillment.payment-processed'], `No stream SAGAS on ${nats.server.url}: create it with cim-nats init-streams --env dev sales.`);
    assert.equal(v['landed projection order-summary.update'],
      'Stream PROJECTIONS\'s subjects ("dev.projection.inventory.>") do not cover "dev.projection.order-summary.update": add "dev.projection.>" to it (cim-nats init-streams --env dev does).');
    // the commands stream keeps messages only while a consumer is interested: the test holds interest while it checks
    assert.equal(v['landed command sales.order.create'], 'ok');
    assert.equal(v['dedupe domain sales.order.created'], 'ok');
  });

  it('names the missing permission when the seed\'s account config is used as written', async () => {
    await withStreams(cimDevServerConfig({ jetStreamPermissions: false }));
    const result = await smokeTest(session!, { algebra, environment: 'dev', domains: ['sales'] });
    assert.equal(result.ok, false);
    assert.ok(result.rows.length >= 6);
    for (const row of result.rows) assert.match(row.verdict, /_INBOX\.>/, row.subject);
    assert.equal(result.rows.some(r => r.check === 'dedupe'), false);
  });
});
