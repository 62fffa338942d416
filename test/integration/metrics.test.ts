// Live figures against a real server: the requests one poll makes, lag in time growing while a consumer acknowledges
// slower than a producer publishes and shrinking when it catches up, a stopped consumer becoming stalled, and the
// server and accounts reports with and without the system account (the seed's accounts).
import assert from 'node:assert/strict';
import { AckPolicy, StorageType, jetstream, type Consumer } from '@nats-io/jetstream';
import { cimDevServerConfig } from '../../dev/devServerConfig';
import { MetricsHistory, consumerKey, growingFor, streamKey, trend } from '../../src/core/metrics';
import { pollMetrics, serverReport } from '../../src/nats/metrics';
import { eventually } from '../support/eventually';
import { useNatsServer, useNatsServers } from '../support/natsFixture';

let unique = 0;
const name = (base: string) => `${base}_${process.pid}_${++unique}`;

describe('live figures: one poll', function () {
  const nats = useNatsServer({ session: true });

  it('asks the paged stream list once and the consumer list only of streams with consumers', async () => {
    const jsm = await nats.jsm();
    const [a, b, c] = [name('M_A'), name('M_B'), name('M_C')];
    for (const s of [a, b, c]) await jsm.streams.add({ name: s, subjects: [`${s}.>`], storage: StorageType.Memory });
    await jsm.consumers.add(b, { durable_name: 'one', ack_policy: AckPolicy.Explicit });
    await jsm.consumers.add(b, { durable_name: 'two', ack_policy: AckPolicy.Explicit });
    const js = jetstream(nats.session.nc);
    for (let i = 0; i < 3; i++) await js.publish(`${b}.x`, `m${i}`);

    const plain = await pollMetrics(nats.session);
    // every stream of the server is listed, but only b's consumers are asked for
    const withConsumers = plain.sample.streams.filter(s => s.consumerCount > 0).length;
    assert.equal(plain.sample.requests, 1 + withConsumers);
    assert.deepEqual(plain.consumers.get(b)?.map(x => x.name), ['one', 'two']);
    assert.equal(plain.consumers.has(a), false);
    assert.equal(plain.sample.consumers.find(x => x.name === 'one')?.lagRead, undefined);

    // lag in time is read only for what a dashboard shows: one message get per watched consumer with messages waiting
    const watched = await pollMetrics(nats.session, { lagOf: new Map([[b, new Set(['one'])]]) });
    assert.equal(watched.sample.requests, plain.sample.requests + 1);
    const one = watched.sample.consumers.find(x => x.name === 'one')!;
    assert.equal(one.lagRead, true);
    assert.ok(one.oldestUnackedAt && one.oldestUnackedAt <= Date.now() + 1000, 'the oldest message\'s stored time is read');
  });

  it('gives a gap, not a negative rate, when a stream is purged and when a consumer is made again', async () => {
    const jsm = await nats.jsm();
    const s = name('M_PURGE');
    await jsm.streams.add({ name: s, subjects: [`${s}.>`], storage: StorageType.Memory });
    await jsm.consumers.add(s, { durable_name: 'c', ack_policy: AckPolicy.None });
    const js = jetstream(nats.session.nc);
    const history = new MetricsHistory();
    const poll = async () => history.add((await pollMetrics(nats.session)).sample);
    for (let i = 0; i < 5; i++) await js.publish(`${s}.x`, 'a');
    await poll();
    await jsm.streams.purge(s);
    for (let i = 0; i < 2; i++) await js.publish(`${s}.x`, 'b');
    await poll();
    const [, inRate] = history.series.fine(streamKey(s, 'in')).map(p => p.v);
    const [, removed] = history.series.fine(streamKey(s, 'removed')).map(p => p.v);
    assert.ok(inRate !== null && inRate !== undefined && inRate > 0, `in/s after the purge is positive (${inRate})`);
    assert.ok(removed !== null && removed !== undefined && removed > 0, `the purge shows as removals (${removed})`);

    const c = await js.consumers.get(s, 'c');
    for await (const m of await c.fetch({ max_messages: 2, expires: 2000 })) void m;
    await poll();
    await jsm.consumers.delete(s, 'c');
    await jsm.consumers.add(s, { durable_name: 'c', ack_policy: AckPolicy.None });
    await poll();
    const delivered = history.series.fine(consumerKey(s, 'c', 'delivered')).map(p => p.v);
    assert.equal(delivered[delivered.length - 1], null, 'the recreated consumer\'s first reading has no rate');
    assert.ok(delivered.every(v => v === null || v >= 0), `no negative rate: ${delivered.join(', ')}`);
  });
});

describe('live figures: a consumer falling behind, catching up and stalling', function () {
  const nats = useNatsServer({ session: true });

  it('shows lag in time growing, then shrinking when it catches up, then a stopped consumer stalled', async () => {
    const jsm = await nats.jsm();
    const s = name('M_LAG');
    await jsm.streams.add({ name: s, subjects: [`${s}.>`], storage: StorageType.Memory });
    await jsm.consumers.add(s, { durable_name: 'slow', ack_policy: AckPolicy.Explicit, ack_wait: 60_000_000_000 });
    const js = jetstream(nats.session.nc);
    const consumer = await js.consumers.get(s, 'slow');
    const history = new MetricsHistory();
    const lagKey = consumerKey(s, 'slow', 'lag');
    const lagOf = new Map([[s, '*' as const]]);
    let published = 0;
    // one step of the producer (4 messages per step) and of the consumer (`acks` per step), then one poll
    const step = async (acks: number) => {
      for (let i = 0; i < 4; i++) await js.publish(`${s}.order`, JSON.stringify({ n: published++ }));
      await ackSome(consumer, acks, (history.last?.consumers.find(c => c.name === 'slow')?.pending ?? 0) + 4);
      history.add((await pollMetrics(nats.session, { lagOf })).sample);
      return history.series.fine(lagKey);
    };

    await eventually('lag in time growing while the consumer acknowledges 1 for every 4 published', async () => {
      const lag = await step(1);
      return growingFor(lag) >= 4 && trend(lag, { samples: 5 }).trend === 'growing';
    }, { timeoutMs: 30_000, intervalMs: 100 });

    let sawShrinking = false;
    await eventually('lag in time shrinking, then gone, once the consumer acknowledges faster than the producer', async () => {
      const lag = await step(12);
      sawShrinking ||= trend(lag, { samples: 3 }).trend === 'shrinking';
      const last = history.last!.consumers.find(c => c.name === 'slow')!;
      return sawShrinking && last.pending + last.ackPending === 0 && lag[lag.length - 1]?.v === 0;
    }, { timeoutMs: 30_000, intervalMs: 100 });

    const settings = { stallSeconds: 1, growingIntervals: 0, limitThreshold: 0.9 };
    assert.deepEqual(history.health(settings).problems.filter(p => p.stream === s), [], 'a caught-up consumer is healthy');
    const stalled = await eventually('the stopped consumer reported as stalled', async () => {
      await step(0);
      return history.health(settings).problems.find(p => p.stream === s && p.kind === 'stalled');
    }, { timeoutMs: 30_000, intervalMs: 200 });
    assert.match(stalled.sentence, new RegExp(`^slow on ${s} is stalled: \\d+ messages wait and its ack floor has stayed at \\d+ for \\d+ s\\.$`));
  });
});

/** Fetches and acknowledges up to `n` of the `available` messages (waiting for each ack to be taken). */
async function ackSome(consumer: Consumer, n: number, available: number): Promise<void> {
  const k = Math.min(n, available);
  if (k <= 0) return;
  for await (const m of await consumer.fetch({ max_messages: k, expires: 2000 })) await m.ackAck();
}

describe('live figures: server and accounts reports (the seed\'s accounts)', function () {
  const nats = useNatsServers();

  it('gives per-server and per-account figures to the system account\'s user', async () => {
    await nats.start({ config: cimDevServerConfig(), domain: 'cim' });
    const domain = await nats.connect({ user: 'domain_user', pass: 'domain_pass', jetStreamDomain: 'cim' });
    const jsm = await domain.jetstreamManager();
    await jsm.streams.add({ name: 'REPORT_EVENTS', subjects: ['dev.domain.report.>'], storage: StorageType.Memory });
    const system = await nats.connect({ user: 'system', pass: 'system_pass' });

    const report = await serverReport(system);
    assert.equal(report.kind, 'system');
    if (report.kind !== 'system') return;
    assert.equal(report.servers.length, 1);
    const [server] = report.servers;
    assert.equal(server!.version, system.nc.info!.version);
    assert.ok(server!.connections >= 2 && server!.mem > 0 && server!.start > 0, JSON.stringify(server));
    assert.equal(report.jetStream.length, 1);
    assert.equal(report.jetStream[0]!.streams, 1);
    const accounts = new Map(report.accounts.map(a => [a.account, a]));
    assert.ok(accounts.get('DOMAIN')!.connections >= 1, 'the domain user\'s connection is counted under DOMAIN');
    assert.ok(accounts.has('QUERY') && accounts.has('SYS'), [...accounts.keys()].join(', '));
    assert.equal(report.requests, 3);
  });

  it('tells a user outside the system account what is missing and shows what its account may see', async () => {
    await nats.start({ config: cimDevServerConfig(), domain: 'cim' });
    const domain = await nats.connect({ user: 'domain_user', pass: 'domain_pass', jetStreamDomain: 'cim' });
    const report = await serverReport(domain);
    assert.equal(report.kind, 'account');
    if (report.kind !== 'account') return;
    assert.match(report.missing, /^User domain_user may not publish to "\$SYS\.REQ\.SERVER\.PING", so it cannot ask the system account: connect as a user of the system account \(the seed's "system" user\)/);
    assert.ok(report.account, `the account's own JetStream usage is shown (${report.accountProblem ?? ''})`);
    assert.equal(report.account!.streams, 0);
  });
});
