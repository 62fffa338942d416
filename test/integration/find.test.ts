// Find, trace and aggregate history on a real nats-server: CEL over limits, interest and work-queue streams leaves every
// stream and consumer as it was; bounds stop and go on without losing or repeating a message; the correlation's
// messages assemble into the tree with its broken link, orphan and unanswered command; the aggregate's history starts
// at its snapshot and flags the version gap.
import assert from 'node:assert/strict';
import type { ConsumerInfo, JetStreamManager } from '@nats-io/jetstream';
import { preset } from '../../src/core/algebra/compiled';
import { compileCel, type CelFilter } from '../../src/core/find/celFilter';
import { aggregateHistory, buildCausationForest, messageIdentity } from '../../src/core/trace';
import type { NatsSession } from '../../src/nats/connection/connect';
import { NatsUserError } from '../../src/nats/errors/sentences';
import { findMessages } from '../../src/nats/read/find';
import { aggregateEvents } from '../../src/nats/trace/history';
import { findCorrelation, traceStreams } from '../../src/nats/trace/correlation';
import { useNatsServer } from '../support/natsFixture';
import { SEED, createSeedStreams, publishSeed } from '../support/traceSeed';

function cel(source: string): CelFilter {
  const r = compileCel(source);
  if (!r.ok) throw new Error(r.problem.message);
  return r.filter;
}

/** Every stream's messages and every consumer's position: a search must leave all of it as it was. */
async function footprint(jsm: JetStreamManager) {
  const out: Record<string, unknown> = {};
  for await (const s of jsm.streams.list()) {
    const consumers: ConsumerInfo[] = [];
    for await (const c of jsm.consumers.list(s.config.name)) consumers.push(c);
    out[s.config.name] = {
      messages: s.state.messages, first: s.state.first_seq, last: s.state.last_seq,
      consumers: consumers.map(c => [c.name, c.num_pending, c.num_ack_pending, c.delivered.stream_seq, c.ack_floor.stream_seq]).sort(),
    };
  }
  return out;
}

describe('find, trace and aggregate history', function () {
  this.timeout(120_000);
  const nats = useNatsServer({ session: true });
  let session: NatsSession;
  let jsm: JetStreamManager;
  let before_: Record<string, unknown>;
  const algebra = preset();

  before(async () => {
    session = nats.session;
    jsm = await nats.jsm();
    await createSeedStreams(jsm);
    await publishSeed(session.jetstream());
    before_ = await footprint(jsm);
  });

  afterEach(async () => {
    // nothing taken, nothing pinned, no consumer of ours left, on every stream kind
    assert.deepEqual(await footprint(jsm), before_);
  });

  it('finds by CEL across every stream a wide filter reaches, merged by time, and counts what could not be evaluated', async () => {
    const r = await findMessages(session, { filter: 'dev.>', where: cel('event.data.customer_id == "123"'), maxScanned: 100_000, maxMatches: 500 });
    const subjects = r.matches.map(m => m.subject);
    assert.deepEqual(subjects, [
      'dev.command.sales.order.place',
      `dev.domain.sales.order.placed.${SEED.ids.placed}`,
      `dev.domain.sales.order.confirmed.${SEED.ids.confirmed}`,
      `dev.domain.sales.order.shipped.${SEED.ids.shipped}`,
    ]);
    assert.deepEqual(r.streams.map(s => s.stream), [SEED.streams.commands, SEED.streams.events, SEED.streams.snapshots, SEED.streams.projections, SEED.streams.sagas].sort());
    assert.ok(r.streams.every(s => s.complete && !s.problem));
    assert.equal(r.scanned, 12);
    assert.equal(r.bound, undefined);
    assert.equal(r.cursor, undefined);
    // the non-JSON payload, and every message whose data has no customer_id, failed rather than matched
    assert.ok(r.failed >= 1);
    assert.match(r.firstFailure!.reason, /no field|not JSON|null/);
  });

  it('narrows on the server by subject: a filter inside one stream reads only that stream\'s matching subjects', async () => {
    const r = await findMessages(session, { filter: 'dev.domain.sales.order.placed.>', maxScanned: 100_000, maxMatches: 500 });
    assert.deepEqual(r.streams.map(s => s.stream), [SEED.streams.events]);
    assert.equal(r.scanned, 2);
    assert.equal(r.matches.length, 2);
  });

  it('takes nothing from an interest or a work-queue stream', async () => {
    const commands = await findMessages(session, { streams: [SEED.streams.commands], where: cel('event.command_type == "ReservePayment"'), maxScanned: 100, maxMatches: 10 });
    assert.deepEqual(commands.matches.map(m => m.subject), ['dev.command.sales.order.reserve']);
    const sagas = await findMessages(session, { streams: [SEED.streams.sagas], where: cel('headers["X-Correlation-ID"] == "' + SEED.correlationId + '"'), maxScanned: 100, maxMatches: 10 });
    assert.equal(sagas.matches.length, 2);
  });

  it('stops at a bound, says which, and goes on from there without losing or repeating a message', async () => {
    const all = await findMessages(session, { streams: [SEED.streams.events], maxScanned: 1000, maxMatches: 1000 });
    const seen: number[] = [];
    let r = await findMessages(session, { streams: [SEED.streams.events], maxScanned: 1000, maxMatches: 2 });
    assert.equal(r.bound, 'matches');
    seen.push(...r.matches.map(m => m.seq!));
    let rounds = 0;
    while (r.cursor) {
      r = await findMessages(session, { resume: r.cursor, maxScanned: 3, maxMatches: 1000 });
      seen.push(...r.matches.map(m => m.seq!));
      assert.ok(++rounds < 10);
    }
    assert.deepEqual(seen, all.matches.map(m => m.seq));
    // a bound reached on the last message of the range stops nothing: there is nothing further to read
    const exact = await findMessages(session, { streams: [SEED.streams.events], maxScanned: 1000, maxMatches: all.matches.length });
    assert.equal(exact.matches.length, all.matches.length);
    assert.equal(exact.bound, undefined);
    assert.equal(exact.cursor, undefined);
  });

  it('reads only a time range, turned into sequences on the server', async () => {
    const all = await findMessages(session, { streams: [SEED.streams.events], maxScanned: 1000, maxMatches: 1000 });
    const [, second, , fourth] = all.matches;
    const r = await findMessages(session, { streams: [SEED.streams.events], since: second!.time!, until: fourth!.time!, maxScanned: 1000, maxMatches: 1000 });
    // times are compared to the millisecond: a neighbour stored in the same millisecond is inside the range too
    const inside = all.matches.filter(m => m.time!.getTime() >= second!.time!.getTime() && m.time!.getTime() <= fourth!.time!.getTime());
    assert.deepEqual(r.matches.map(m => m.seq), inside.map(m => m.seq));
    assert.equal(r.scanned, inside.length);
  });

  it('says in one sentence when no stream stores the filter, and names a stream that is missing while searching the others', async () => {
    await assert.rejects(findMessages(session, { filter: 'prod.domain.>', maxScanned: 10, maxMatches: 10 }), (e: Error) => e instanceof NatsUserError && /No stream stores "prod\.domain\.>"/.test(e.message));
    const r = await findMessages(session, { streams: [SEED.streams.events, 'NO_SUCH_STREAM'], maxScanned: 100, maxMatches: 100 });
    assert.match(r.streams.find(s => s.stream === 'NO_SUCH_STREAM')!.problem!, /NO_SUCH_STREAM/);
    assert.equal(r.streams.find(s => s.stream === SEED.streams.events)!.complete, true);
  });

  it('can be cancelled and leaves no consumer behind', async () => {
    const abort = new AbortController();
    const p = findMessages(session, { streams: [SEED.streams.events], where: { source: 'x', usesEvent: false, evaluate: () => (abort.abort(new Error('cancelled')), { matched: false }) }, maxScanned: 100, maxMatches: 10, signal: abort.signal });
    await assert.rejects(p, /cancelled/);
  });

  it('traces the correlation: the tree from the origin, the broken link, the orphan and the command no event answered', async () => {
    const streams = await traceStreams(session, algebra);
    assert.deepEqual(streams, Object.values(SEED.streams).sort());
    const found = await findCorrelation(session, { correlationId: SEED.correlationId, around: new Date(), windowMs: 15 * 60_000, streams, maxScanned: 100_000 });
    assert.equal(found.messages.length, 8);
    const forest = buildCausationForest(found.messages, { correlationId: SEED.correlationId, window: found.window });
    const origin = forest.roots[0]!;
    assert.equal(origin.identity.messageId, SEED.ids.placeOrder);
    const ids = (n: typeof origin): unknown => ({ [n.identity.messageId!]: n.children.map(ids) });
    assert.deepEqual(ids(origin), {
      [SEED.ids.placeOrder]: [{ [SEED.ids.placed]: [{ [SEED.ids.saga]: [{ [SEED.ids.reserve]: [] }, { [SEED.ids.confirmed]: [{ [SEED.ids.projection]: [] }] }] }] }],
    });
    assert.equal(forest.brokenLinks, 1);
    assert.equal(forest.orphans, 1);
    assert.equal(forest.unansweredCommands, 1);
    const broken = forest.roots.find(r => r.identity.messageId === SEED.ids.shipped)!;
    assert.match(broken.flags[0]!.message, /not found: it may have been stored before the window/);
    assert.ok(found.messages.every(m => messageIdentity(m).correlationId === SEED.correlationId || messageIdentity(m).messageId === SEED.correlationId));
  });

  it('reads only the window: a window that ends before the conversation finds none of it', async () => {
    const all = await findMessages(session, { streams: [SEED.streams.events], maxScanned: 1000, maxMatches: 1000 });
    const found = await findCorrelation(session, { correlationId: SEED.correlationId, around: new Date(all.matches[0]!.time!.getTime() - 60_000), windowMs: 30_000, streams: Object.values(SEED.streams), maxScanned: 100_000 });
    assert.equal(found.messages.length, 0);
    assert.equal(found.scanned, 0);
  });

  it('shows an aggregate\'s history: the snapshot first, its events in order, the missing version flagged', async () => {
    const read = await aggregateEvents(session, algebra, { env: 'dev', domain: 'sales', aggregate: 'order', id: SEED.aggregateId, maxScanned: 100_000 });
    assert.equal(read.eventsStream, SEED.streams.events);
    assert.equal(read.filter, 'dev.domain.sales.order.>');
    assert.ok(read.snapshot);
    assert.equal(read.snapshot.stream, SEED.streams.snapshots);
    const history = aggregateHistory(read.events, read.snapshot);
    assert.deepEqual(history.events.map(e => e.version), [1, 2, 4]);
    assert.equal(history.gaps, 1);
    assert.deepEqual(history.events[2]!.flags.map(f => f.kind), ['gap']);
    assert.equal(history.consistent, false);
  });

  it('shows an aggregate with no snapshot from its first event, and one that has no events as empty', async () => {
    const other = await aggregateEvents(session, algebra, { env: 'dev', domain: 'sales', aggregate: 'order', id: SEED.otherAggregateId, maxScanned: 100_000 });
    assert.equal(other.snapshot, undefined);
    assert.deepEqual(aggregateHistory(other.events).events.map(e => e.version), [1, 2]);
    const none = await aggregateEvents(session, algebra, { env: 'dev', domain: 'sales', aggregate: 'order', id: '00000000-0000-4000-8000-000000000000', maxScanned: 100_000 });
    assert.equal(none.events.length, 0);
  });
});

describe('find with a stream the user may not read', function () {
  this.timeout(60_000);
  const SECRET = 'SECRET';
  const config = `accounts {
  APP {
    jetstream: enabled
    users: [
      { user: admin, password: admin }
      { user: reader, password: reader, permissions: {
          publish: { allow: [">"], deny: ["$JS.API.STREAM.INFO.${SECRET}", "$JS.API.STREAM.MSG.GET.${SECRET}", "$JS.API.CONSUMER.CREATE.${SECRET}", "$JS.API.CONSUMER.CREATE.${SECRET}.>"] }
          subscribe: { allow: [">"] } } }
    ]
  }
}`;
  const nats = useNatsServer({ config });

  it('searches the streams it may read, and names the one it may not with the permission missing', async () => {
    const admin = await nats.connect({ user: 'admin', pass: 'admin' });
    const jsm = await admin.jetstreamManager();
    await jsm.streams.add({ name: 'OPEN', subjects: ['dev.open.>'] });
    await jsm.streams.add({ name: SECRET, subjects: ['dev.secret.>'] });
    await admin.jetstream().publish('dev.open.a', '{"x":1}');
    await admin.jetstream().publish('dev.secret.a', '{"x":1}');
    const reader = await nats.connect({ user: 'reader', pass: 'reader' });
    const r = await findMessages(reader, { filter: 'dev.>', where: cel('event.x == 1'), maxScanned: 100, maxMatches: 100 });
    assert.deepEqual(r.matches.map(m => m.subject), ['dev.open.a']);
    const secret = r.streams.find(s => s.stream === SECRET)!;
    assert.match(secret.problem!, /permission/i);
    assert.match(secret.problem!, /\$JS\.API\.STREAM\.INFO\.SECRET/);
    assert.equal(r.streams.find(s => s.stream === 'OPEN')!.complete, true);
  });
});
