// The explorer's data on a real nats-server: overview, streams, consumers, event types (run on 2.9.10 and 2.15.1).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { PermissionViolationError } from '@nats-io/transport-node';
import type { NatsSession } from '../../src/nats/connection/connect';
import { cimDevServerConfig } from '../../dev/devServerConfig';
import {
  checkPermission,
  consumerHealth,
  countEventTypes,
  listConsumers,
  listStreams,
  serverOverview,
  versionAtLeast,
  type StreamSummary,
  type UserPermissions,
} from '../../src/nats/explorer';
import { eventually } from '../support/eventually';
import { useNatsServer, useNatsServers } from '../support/natsFixture';

const SECOND_NS = 1_000_000_000;

/** The dev config grants $SYS.REQ.USER.INFO, the one grant a user needs to be told its own permissions (2.10+). */
const SEED_WITH_USER_INFO = cimDevServerConfig();
const SEED_WITHOUT_USER_INFO = cimDevServerConfig().replaceAll(', "$SYS.REQ.USER.INFO"', '');

async function streamNamed(session: NatsSession, name: string): Promise<StreamSummary> {
  const s = (await listStreams(session)).find(x => x.name === name);
  assert.ok(s, `${name} is listed`);
  return s;
}

describe('explorer data: server overview and permissions', function () {
  const nats = useNatsServers();

  it('shows the server, the account\'s JetStream usage and the seed user\'s permissions', async () => {
    await nats.start({ config: SEED_WITH_USER_INFO, domain: 'cim' });
    const session = await nats.connect({ user: 'domain_user', pass: 'domain_pass', jetStreamDomain: 'cim' });
    const jsm = await session.jetstreamManager();
    await jsm.streams.add({ name: 'OVERVIEW_EVENTS', subjects: ['dev.domain.overview.>'], storage: StorageType.Memory });
    await jsm.consumers.add('OVERVIEW_EVENTS', { durable_name: 'projector', ack_policy: AckPolicy.Explicit });

    const o = await serverOverview(session);
    const info = session.nc.info!;
    assert.equal(o.serverName, info.server_name);
    assert.equal(o.serverId, info.server_id);
    assert.equal(o.version, info.version);
    assert.equal(o.maxPayload, 1024 * 1024);
    assert.equal(o.jetStreamDomain, 'cim');
    assert.equal(o.cluster, undefined);
    assert.equal(o.jetStreamProblem, undefined);
    assert.equal(o.account?.streams, 1);
    assert.equal(o.account?.consumers, 1);
    assert.equal(o.account?.memory, 0);
    assert.equal(o.account?.limits.maxStreams, -1, 'no limit on the seed accounts');
    assert.ok(o.account!.api.total > 0);

    if (versionAtLeast(o.version, 2, 10)) {
      assert.equal(o.permissionsNote, undefined);
      assert.equal(o.permissions?.user, 'domain_user');
      assert.equal(o.permissions?.account, 'DOMAIN');
      assert.ok(o.permissions?.publish?.allow?.includes('dev.domain.>'));
      assert.ok(o.permissions?.subscribe?.allow?.includes('dev.>'));
    } else {
      // $SYS.REQ.USER.INFO arrived in 2.10: an older server cannot tell, and the overview says so.
      assert.equal(o.permissions, undefined);
      assert.equal(o.permissionsNote, `nats-server 2.10 or newer tells the connected user's permissions; ${o.version} does not.`);
    }
  });

  it('refuses a QUERY user\'s publish of a domain event before sending, as the server would', async () => {
    await nats.start({ config: SEED_WITH_USER_INFO, domain: 'cim' });
    const session = await nats.connect({ user: 'query_user', pass: 'query_pass', jetStreamDomain: 'cim' });
    const o = await serverOverview(session);
    const subject = `dev.domain.sales.order.created.${randomUUID()}`;

    // The server's own verdict: a core publish does not throw, the violation arrives as a status event.
    const refused = (async () => {
      for await (const s of session.nc.status()) {
        if (s.type === 'error' && s.error instanceof PermissionViolationError && s.error.subject === subject) return s.error.operation;
      }
      return undefined;
    })();
    session.nc.publish(subject, '{}');
    assert.equal(await refused, 'publish');

    const verdict = checkPermission(o.permissions, 'publish', subject);
    if (versionAtLeast(o.version, 2, 10)) {
      // The server lists the allow patterns in no fixed order; JetStream's own grants are summed up as "more".
      assert.match(verdict ?? '', /^User query_user \(account QUERY\) may not publish to "dev\.domain\.sales\.order\.created\.[0-9a-f-]+": its publish permissions allow only "[a-z]+\.projection\.>", "[a-z]+\.projection\.>", "[a-z]+\.projection\.>" \(and 3 more\); add it, or a pattern covering it, in the server config\.$/);
      assert.equal(checkPermission(o.permissions, 'publish', 'dev.projection.order-summary.update'), undefined);
      assert.equal(checkPermission(o.permissions, 'subscribe', 'dev.domain.sales.>'), undefined);
      assert.match(checkPermission(o.permissions, 'subscribe', 'dev.command.>') ?? '', /may not subscribe to "dev\.command\.>"/);
    } else {
      // 2.9.10 does not tell permissions, so nothing is refused in advance: the server still refuses it.
      assert.equal(verdict, undefined);
    }
  });

  it('says why permissions are unknown when the seed config does not let the user ask', async () => {
    assert.notEqual(SEED_WITHOUT_USER_INFO, SEED_WITH_USER_INFO);
    await nats.start({ config: SEED_WITHOUT_USER_INFO, domain: 'cim' });
    const session = await nats.connect({ user: 'domain_user', pass: 'domain_pass', jetStreamDomain: 'cim' });
    const o = await serverOverview(session);
    assert.equal(o.permissions, undefined);
    assert.ok(o.account, 'JetStream usage is still shown');
    if (versionAtLeast(o.version, 2, 10)) {
      assert.equal(o.permissionsNote, 'User domain_user may not ask the server for its permissions: add "$SYS.REQ.USER.INFO" to its publish permissions to see them here.');
    } else {
      // 2.9.10 cannot answer at all, so the overview does not even ask.
      assert.match(o.permissionsNote ?? '', /^nats-server 2\.10 or newer tells/);
    }
  });

  it('says why there is no JetStream usage when the server runs without JetStream', async () => {
    const server = await nats.start({ jetstream: false });
    const session = await nats.connect();
    const o = await serverOverview(session);
    assert.equal(o.account, undefined);
    assert.equal(o.jetStreamProblem, `${server.url} runs without JetStream: start nats-server with -js (or a jetstream block in its config) to keep streams.`);
  });

  it('checks permissions with NATS rules: wildcards cover, deny wins, unknown allows', () => {
    const perms: UserPermissions = {
      user: 'u',
      account: 'A',
      publish: { allow: ['dev.domain.>', 'dev.command.*.*.create'], deny: ['dev.domain.billing.>'] },
      subscribe: { allow: ['dev.>'], deny: ['dev.secret.*'] },
    };
    assert.equal(checkPermission(perms, 'publish', 'dev.domain.sales.order.created.1'), undefined);
    assert.equal(checkPermission(perms, 'publish', 'dev.command.sales.order.create'), undefined);
    assert.equal(checkPermission(perms, 'publish', 'dev.domain.billing.invoice.paid.1'), 'User u (account A) may not publish to "dev.domain.billing.invoice.paid.1": its publish permissions deny "dev.domain.billing.>".');
    assert.match(checkPermission(perms, 'publish', 'prod.domain.sales.order.created.1') ?? '', /allow only "dev\.domain\.>", "dev\.command\.\*\.\*\.create"/);
    assert.equal(checkPermission(perms, 'subscribe', 'dev.domain.*.order.>'), undefined, 'a wildcard subscription inside an allow');
    assert.match(checkPermission(perms, 'subscribe', '>') ?? '', /may not subscribe to ">"/);
    assert.match(checkPermission(perms, 'subscribe', 'dev.secret.keys') ?? '', /deny "dev\.secret\.\*"/);
    assert.equal(checkPermission(undefined, 'publish', 'anything'), undefined);
    assert.equal(checkPermission({ user: 'v', account: 'B' }, 'subscribe', '>'), undefined, 'no permissions block: all allowed');
  });
});

describe('explorer data: streams and consumers', function () {
  const nats = useNatsServer({ session: true });
  let session: NatsSession;
  let jsm: JetStreamManager;

  before(async () => {
    session = nats.session;
    jsm = await nats.jsm();
  });

  it('lists and pages 1,000 streams, each once, sorted, and filters by subject', async function () {
    this.timeout(120_000);
    const names = Array.from({ length: 1000 }, (_, i) => `BULK_${String(i).padStart(4, '0')}`);
    for (let i = 0; i < names.length; i += 100) {
      await Promise.all(names.slice(i, i + 100).map(name => jsm.streams.add({ name, subjects: [`bulk.${name.slice(5)}.>`], storage: StorageType.Memory })));
    }
    const listed = (await listStreams(session)).filter(s => s.name.startsWith('BULK_'));
    assert.deepEqual(listed.map(s => s.name), names, 'all 1,000 (four pages of 256), sorted, none twice');
    const viaClient: string[] = [];
    for await (const n of jsm.streams.names()) if (n.startsWith('BULK_')) viaClient.push(n);
    assert.deepEqual([...viaClient].sort(), names);
    const one = listed[42]!;
    assert.deepEqual(one.subjects, ['bulk.0042.>']);
    assert.equal(one.storage, 'memory');
    assert.equal(one.retention, 'limits');
    assert.equal(one.kind, 'stream');
    assert.equal(one.messages, 0);
    assert.equal(one.lastActivity, undefined, 'never held a message');
    assert.equal(one.unavailable, undefined);

    const filtered = await listStreams(session, { filter: 'bulk.0042.order.created' });
    assert.deepEqual(filtered.map(s => s.name), ['BULK_0042']);
    await Promise.all(names.map(n => jsm.streams.delete(n)));
  });

  it('shows a stream\'s numbers, limits and last activity', async () => {
    const js = session.jetstream();
    await jsm.streams.add({
      name: 'SHOWN_EVENTS',
      subjects: ['dev.domain.shown.>'],
      description: 'Events of the shown domain',
      max_age: 3600 * SECOND_NS,
      storage: StorageType.File,
    });
    for (let i = 0; i < 5; i++) await js.publish(`dev.domain.shown.order.created.${randomUUID()}`, JSON.stringify({ i }));
    await jsm.consumers.add('SHOWN_EVENTS', { durable_name: 'reader', ack_policy: AckPolicy.Explicit });
    const s = await streamNamed(session, 'SHOWN_EVENTS');
    assert.equal(s.messages, 5);
    assert.equal(s.firstSeq, 1);
    assert.equal(s.lastSeq, 5);
    assert.ok(s.bytes > 0);
    assert.equal(s.consumerCount, 1);
    assert.equal(s.description, 'Events of the shown domain');
    assert.equal(s.maxAge, 3600 * SECOND_NS);
    assert.equal(s.storage, 'file');
    assert.equal(s.replicas, 1);
    assert.ok(s.lastActivity && Math.abs(Date.now() - s.lastActivity.getTime()) < 60_000, 'the last message arrived just now');
    assert.equal((s.config as { name: string }).name, 'SHOWN_EVENTS');
  });

  it('shows consumers with pending, ack pending and redelivered counts, and warns when acks stop', async () => {
    const js = session.jetstream();
    await jsm.streams.add({ name: 'CONSUMED_EVENTS', subjects: ['dev.domain.consumed.>'], storage: StorageType.Memory });
    for (let i = 0; i < 10; i++) await js.publish(`dev.domain.consumed.order.created.${randomUUID()}`, '{}');
    await jsm.consumers.add('CONSUMED_EVENTS', {
      durable_name: 'billing',
      ack_policy: AckPolicy.Explicit,
      ack_wait: SECOND_NS,
      filter_subject: 'dev.domain.consumed.order.>',
      // with four unacknowledged the server delivers nothing new: the next fetch waits for their redelivery
      max_ack_pending: 4,
    });
    await jsm.consumers.add('CONSUMED_EVENTS', { name: 'peek', ack_policy: AckPolicy.Explicit, inactive_threshold: 60 * SECOND_NS });

    const billing = await js.consumers.get('CONSUMED_EVENTS', 'billing');
    let got = 0;
    for await (const m of await billing.fetch({ max_messages: 4, expires: 2_000 })) {
      got++;
      if (got === 4) break;
      void m;
    }
    assert.equal(got, 4);
    const first = await listConsumers(session, 'CONSUMED_EVENTS');
    assert.deepEqual(first.map(c => [c.name, c.durable]), [['billing', true], ['peek', false]]);
    const b1 = first[0]!;
    assert.equal(b1.stream, 'CONSUMED_EVENTS');
    assert.deepEqual(b1.filterSubjects, ['dev.domain.consumed.order.>']);
    assert.equal(b1.pending, 6);
    assert.equal(b1.ackPending, 4);
    assert.equal(b1.delivered, 4);
    assert.equal(b1.ackFloor, 0);
    assert.equal(b1.redelivered, 0);
    assert.ok(b1.lastActive, 'a delivery just happened');
    assert.ok(b1.created.getTime() <= Date.now());
    assert.equal(first[1]!.pending, 10);
    assert.match(consumerHealth(b1, 5).warning ?? '', /^6 messages wait for billing \(more than 5\)/);
    assert.equal(consumerHealth(b1, 100).warning, undefined);

    // After ack_wait the unacknowledged four come again: redelivered (counted until they are acknowledged).
    const again: JsMsg[] = [];
    await eventually('the four unacknowledged messages delivered again after ack_wait', async () => {
      for await (const m of await billing.fetch({ max_messages: 4 - again.length, expires: 2_000 })) {
        again.push(m);
        if (again.length === 4) break;
      }
      return again.length === 4;
    });
    assert.deepEqual(again.map(m => m.seq), [1, 2, 3, 4], 'only the four, nothing new while they are unacknowledged');
    const second = (await listConsumers(session, 'CONSUMED_EVENTS'))[0]!;
    assert.ok(second.redelivered >= 1, `redelivered ${second.redelivered}`);
    assert.ok(again.some(m => m.redelivered));
    assert.equal(consumerHealth(b1, 100, b1).warning, 'Acks on billing stopped: 4 delivered messages are unacknowledged and the ack floor has stayed at 0.');
    for (const m of again) m.ack();
    await eventually('acks to land', async () => (await listConsumers(session, 'CONSUMED_EVENTS'))[0]!.ackPending === 0);
    const third = (await listConsumers(session, 'CONSUMED_EVENTS'))[0]!;
    assert.equal(third.ackFloor, 4);
    assert.equal(consumerHealth(third, 100, b1).warning, undefined, 'the ack floor moved');
  });

  it('tells KV buckets and object stores from plain streams', async () => {
    await jsm.streams.add({ name: 'KV_x', subjects: ['$KV.x.>'], max_msgs_per_subject: 1, allow_rollup_hdrs: true, deny_delete: true, storage: StorageType.Memory });
    await jsm.streams.add({ name: 'OBJ_y', subjects: ['$O.y.C.>', '$O.y.M.>'], allow_rollup_hdrs: true, storage: StorageType.Memory });
    await jsm.streams.add({ name: 'KV_fake', subjects: ['kvfake.>'], storage: StorageType.Memory });
    const kinds = Object.fromEntries((await listStreams(session)).map(s => [s.name, s.kind]));
    assert.equal(kinds.KV_x, 'kv');
    assert.equal(kinds.OBJ_y, 'object');
    assert.equal(kinds.KV_fake, 'stream', 'a KV_ name without $KV subjects is a plain stream');
  });
});

/** A domain-events stream: common types, one rare type, three subjects that are no type, declared types. */
const N = 100_000;
const RARE_EVERY = 25_000;
const RARE_AT = 9_999; // never on a probe's sequence: the samples cannot see it
function typeOf(i: number): string {
  if (i % RARE_EVERY === RARE_AT) return 'invoice.voided';
  if (i % 2) return 'order.created';
  if (i % 4 === 0) return 'order.paid';
  return i % 8 === 2 ? 'order.shipped' : 'customer.registered';
}
const IRREGULAR = ['heartbeat', 'heartbeat', 'order'];
const DECLARED = [
  { aggregate: 'order', event: 'created' },
  { aggregate: 'order', event: 'cancelled' },
  { aggregate: 'customer', event: 'registered' },
];

describe('explorer data: event types of a stream with 100,000 distinct subjects', function () {
  this.timeout(120_000);
  const nats = useNatsServer({ session: true });
  let session: NatsSession;
  let jsm: JetStreamManager;
  const expected = new Map<string, number>();
  const kinds = [
    { retention: RetentionPolicy.Limits, stream: 'EV_LIMITS', prefix: 'dev.domain.limits' },
    { retention: RetentionPolicy.Workqueue, stream: 'EV_WORKQUEUE', prefix: 'dev.domain.workqueue' },
    { retention: RetentionPolicy.Interest, stream: 'EV_INTEREST', prefix: 'dev.domain.interest' },
  ];

  before(async () => {
    session = nats.session;
    jsm = await nats.jsm();
    for (let i = 0; i < N; i++) expected.set(typeOf(i), (expected.get(typeOf(i)) ?? 0) + 1);
    for (const k of kinds) {
      // The limits stream also stores audit messages outside the prefix: they must not count.
      const subjects = k.retention === RetentionPolicy.Limits ? [`${k.prefix}.>`, 'dev.audit.limits.>'] : [`${k.prefix}.>`];
      await jsm.streams.add({ name: k.stream, subjects, retention: k.retention, storage: StorageType.File });
      // An interest stream keeps only what some consumer wants.
      if (k.retention === RetentionPolicy.Interest) await jsm.consumers.add(k.stream, { durable_name: 'worker', ack_policy: AckPolicy.Explicit });
      for (let i = 0; i < N; i++) session.nc.publish(`${k.prefix}.${typeOf(i)}.${i}`, '{}');
      for (const t of IRREGULAR) session.nc.publish(`${k.prefix}.${t}`, '{}');
      if (k.retention === RetentionPolicy.Limits) for (let i = 0; i < 500; i++) session.nc.publish(`dev.audit.limits.${i}`, '{}');
      await session.nc.flush();
      const want = N + IRREGULAR.length + (k.retention === RetentionPolicy.Limits ? 500 : 0);
      await eventually(`${k.stream} to store ${want} messages`, async () => (await jsm.streams.info(k.stream)).state.messages >= want, 30_000);
    }
  });

  async function snapshot(stream: string) {
    const consumers = await listConsumers(session, stream);
    return { messages: (await jsm.streams.info(stream)).state.messages, consumers: consumers.map(c => `${c.name}:${c.pending}:${c.ackPending}`) };
  }

  for (const k of kinds) {
    it(`${k.retention === RetentionPolicy.Interest ? 'estimates every type from samples on an interest stream (no counting consumer there)' : `counts every type exactly on a ${k.retention} stream, Other honest`}, nothing taken or left behind`, async () => {
      const before = await snapshot(k.stream);
      const stream = await streamNamed(session, k.stream);
      // exact: on 2.9.10 a stream this large gets estimates unless asked (see below); 2.10+ counts exactly anyway
      const counts = await countEventTypes(session, stream, { prefix: k.prefix, declared: DECLARED, exact: true });
      assert.deepEqual(await snapshot(k.stream), before, 'same messages, same consumers with the same counts');

      const byType = new Map(counts.types.map(t => [`${t.aggregate}.${t.event}`, t]));
      assert.equal(counts.total, N + IRREGULAR.length, 'the prefix only, not the audit messages');
      if (k.retention === RetentionPolicy.Interest) {
        // no counting consumer on an interest stream (one dropped a real consumer's pending messages on 2.15.1): estimates
        assert.equal(counts.estimated, true);
        assert.match(counts.note ?? '', /interest stream, where a counting consumer can make the server drop messages .*: the counts are estimates from \d+ samples\./);
        assert.ok(byType.get('order.created')!.messages > 0 && byType.get('order.cancelled')!.messages === 0);
        return;
      }
      for (const [type, n] of expected) {
        if (type === 'invoice.voided') continue;
        assert.equal(byType.get(type)?.messages, n, type);
      }
      assert.equal(byType.get('order.cancelled')?.messages, 0, 'declared but absent');
      assert.equal(byType.get('order.cancelled')?.declared, true);
      assert.equal(byType.get('order.created')?.declared, true);
      assert.equal(byType.get('order.paid')?.declared, false);
      assert.equal(counts.estimated, undefined);

      const rare = expected.get('invoice.voided')!;
      const findsRare = versionAtLeast(session.nc.info?.version, 2, 10) && k.retention !== RetentionPolicy.Workqueue;
      if (findsRare) {
        assert.equal(byType.get('invoice.voided')?.messages, rare, 'the rare type, located by counting');
        assert.equal(counts.other, IRREGULAR.length, 'subjects that are no type stay in Other');
      } else {
        // A work-queue stream allows no consumer that starts mid-stream, and on 2.9.10 every count scans the whole
        // stream: the rare type stays in Other, and the note says why.
        assert.equal(byType.has('invoice.voided'), false);
        assert.equal(counts.other, rare + IRREGULAR.length);
        assert.match(counts.note ?? '', k.retention === RetentionPolicy.Workqueue ? /work-queue stream/ : /needs nats-server 2\.10 or newer/);
      }
      assert.equal(counts.types.reduce((n, t) => n + t.messages, 0) + counts.other, counts.total);
      assert.ok(counts.requests <= N / 100, `${counts.requests} requests for ${N} messages`);
    });
  }

  it('counts a large stream exactly on 2.10+, and on older servers estimates it from 256 samples unless asked, saying so', async () => {
    const stream = await streamNamed(session, 'EV_LIMITS');
    const counts = await countEventTypes(session, stream, { prefix: 'dev.domain.limits', declared: DECLARED });
    const created = counts.types.find(t => t.aggregate === 'order' && t.event === 'created')!;
    if (versionAtLeast(session.nc.info?.version, 2, 10)) {
      assert.equal(counts.estimated, undefined);
      assert.equal(created.messages, expected.get('order.created'));
      return;
    }
    // measured on 2.9.10: each filtered count reads every message it counts (80–150 ms per 10,000 messages)
    assert.equal(counts.estimated, true);
    assert.match(counts.note ?? '', new RegExp(`^On nats-server ${session.nc.info!.version.replace(/\./g, '\\.')} an exact count reads every message of EV_LIMITS it counts .*: the counts are estimates from 256 samples\\. Count them exactly from the Event types row`));
    assert.ok(counts.types.every(t => t.estimated));
    assert.ok(Math.abs(created.messages - N / 2) < N / 10, `order.created about half: ${created.messages}`);
    assert.equal(counts.types.find(t => t.event === 'cancelled')?.messages, 0, 'declared, never sampled');
    assert.ok(counts.requests <= 260, `${counts.requests} requests: samples only, no counting consumer`);
    assert.deepEqual(await listConsumers(session, 'EV_LIMITS'), []);
  });

  it('gives estimates on a work-queue stream whose worker claims the subjects, and takes nothing', async () => {
    await jsm.consumers.add('EV_WORKQUEUE', { durable_name: 'worker', ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All });
    try {
      const before = await snapshot('EV_WORKQUEUE');
      const counts = await countEventTypes(session, await streamNamed(session, 'EV_WORKQUEUE'), { prefix: 'dev.domain.workqueue', declared: DECLARED, exact: true });
      assert.deepEqual(await snapshot('EV_WORKQUEUE'), before);
      assert.equal(counts.estimated, true);
      assert.match(counts.note ?? '', /a consumer already claims these subjects.*estimates from 32 samples/);
      assert.equal(counts.total, N + IRREGULAR.length, 'the stream holds only the prefix: its count is exact');
      assert.ok(counts.types.every(t => t.estimated));
      const created = counts.types.find(t => t.event === 'created')!.messages;
      assert.ok(Math.abs(created - N / 2) < N / 5, `order.created about half: ${created}`);
    } finally {
      await jsm.consumers.delete('EV_WORKQUEUE', 'worker');
    }
  });

  it('stops when cancelled and leaves no consumer behind', async () => {
    const controller = new AbortController();
    // Cancel as soon as the first counting consumer is asked for: cleanup must remove whatever was created.
    const watcher = session.nc.subscribe('$JS.API.CONSUMER.CREATE.EV_LIMITS.>', { callback: () => controller.abort(), max: 1 });
    try {
      await assert.rejects(
        countEventTypes(session, await streamNamed(session, 'EV_LIMITS'), { prefix: 'dev.domain.limits', signal: controller.signal, exact: true }),
        (e: Error) => e.name === 'AbortError',
      );
    } finally {
      watcher.unsubscribe();
    }
    assert.ok(controller.signal.aborted);
    assert.deepEqual(await listConsumers(session, 'EV_LIMITS'), []);
  });
});
