// A tail as an output channel shows it, on a real nats-server: every message once at a moderate rate, a firehose
// counted honestly, replays from a sequence, a time or the last N then live, a stream-backed tail that resumes after
// the server is killed and restarted, envelope warnings, and nothing left on the server after stop.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { RetentionPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { preset } from '../../src/core/algebra/compiled';
import { envelopeChecker } from '../../src/core/message/envelopeCheck';
import { connectNats, type NatsSession } from '../../src/nats/connection/connect';
import type { RunningNatsServer } from '../../dev/localServer';
import { startTail, type TailOptions, type TailSession, type TailStats } from '../../src/nats/tail/tail';
import { rejection } from '../support/rejection';
import { timeAfterStored } from '../support/storedTime';
import { seqsShown, skippedSaid, subjectsShown, until } from '../support/tailLines';
import { useTailServer } from '../support/tailServer';

const enc = new TextEncoder();

/** What an output channel would have received: every line, every status sentence, the last stats. */
class Channel {
  lines: string[] = [];
  statuses: string[] = [];
  batches = 0;
  last: TailStats | undefined;
  readonly options = {
    onBatch: (lines: string[], stats: TailStats) => {
      this.batches++;
      this.lines.push(...lines);
      this.last = stats;
    },
    onStatus: (s: string) => {
      this.statuses.push(s);
    },
  };

  subjects(prefix: string): string[] {
    return subjectsShown(this.lines, prefix);
  }

  seqs(): number[] {
    return seqsShown(this.lines);
  }

  skippedSaid(): number {
    return skippedSaid(this.lines);
  }
}

async function consumerNames(jsm: JetStreamManager, stream: string): Promise<string[]> {
  const names: string[] = [];
  for await (const c of jsm.consumers.list(stream)) names.push(c.name);
  return names.sort();
}

function range<T = string>(from: number, to: number, f: (i: number) => T): T[] {
  return Array.from({ length: to - from + 1 }, (_, k) => f(from + k));
}

describe('tailing a subject pattern into bounded batches', function () {
  this.timeout(120_000);
  const env = useTailServer();
  const { tails } = env;
  let server: RunningNatsServer | undefined;
  let session: NatsSession | undefined;
  let jsm: JetStreamManager;
  let n = 0;
  before(() => ({ server, session, jsm } = env));

  async function tail(channel: Channel, options: Omit<TailOptions, 'onBatch' | 'onStatus'>): Promise<TailSession> {
    const t = await startTail(session!, { ...options, ...channel.options });
    tails.push(t);
    return t;
  }

  async function streamOf(retention: RetentionPolicy = RetentionPolicy.Limits): Promise<{ name: string; prefix: string }> {
    const name = `TAIL_${++n}`;
    const prefix = `t${n}`;
    await jsm.streams.add({ name, subjects: [`${prefix}.>`], retention });
    return { name, prefix };
  }

  async function publishStored(subjects: string[]): Promise<void> {
    const js = session!.jetstream();
    for (let i = 0; i < subjects.length; i += 64) {
      await Promise.all(subjects.slice(i, i + 64).map(s => js.publish(s, enc.encode(`{"s":"${s}"}`))));
    }
  }

  it('shows every message of a moderate stream once, formatted, and nothing skipped', async () => {
    const channel = new Channel();
    const t = await tail(channel, { pattern: 'live.orders.>' });
    assert.equal(t.streamBacked, false);
    const sent = range(1, 500, i => `live.orders.${i}`);
    // A moderate rate: 50 at a time, the next 50 once the channel has shown these.
    for (let i = 0; i < sent.length; i += 50) {
      for (const s of sent.slice(i, i + 50)) session!.nc.publish(s, enc.encode(JSON.stringify({ order: s, total: 1.5 })));
      await until(`the first ${i + 50} are shown`, () => t.stats().shown >= i + 50);
    }
    assert.equal(t.stats().shown, 500);
    assert.deepEqual(channel.subjects('live.orders.'), sent);
    assert.deepEqual({ ...t.stats(), ratePerSec: 0 }, { received: 500, shown: 500, skipped: 0, queued: 0, ratePerSec: 0 });
    assert.equal(channel.skippedSaid(), 0);
    // The formatter's block: the JSON indented under the title line.
    const at = channel.lines.findIndex(l => /live\.orders\.1 {2}/.test(l));
    assert.deepEqual(channel.lines.slice(at + 1, at + 6), ['', '{', '  "order": "live.orders.1",', '  "total": 1.5', '}']);
    assert.ok(channel.batches > 1, 'the messages came in more than one batch');
  });

  it('counts a firehose honestly: shown + skipped = sent, each batch bounded, the skips said', async () => {
    const channel = new Channel();
    const t = await tail(channel, { pattern: 'fire.>', maxBatchLines: 400, maxQueuedMessages: 2000 });
    const SENT = 100_000;
    const payload = enc.encode('{"n":1}');
    const started = Date.now();
    // As fast as one client can: the publishes go out in chunks, the event loop turning between them.
    for (let i = 0; i < SENT && Date.now() - started < 30_000; i += 1000) {
      for (let k = i; k < i + 1000; k++) session!.nc.publish(`fire.${k % 10}`, payload);
      await session!.nc.flush();
    }
    await until('every message is received', () => t.stats().received === SENT, 30_000);
    await until('the queue is empty', () => t.stats().queued === 0, 30_000);
    const s = t.stats();
    assert.equal(s.shown + s.skipped, SENT);
    assert.ok(s.skipped > 0, 'a firehose overflows the queue');
    assert.equal(channel.skippedSaid(), s.skipped);
    assert.equal(channel.subjects('fire.').length, s.shown);
    assert.ok(channel.lines.length <= channel.batches * 400);
    assert.match(channel.lines.find(l => l.startsWith('… skipped'))!, /^… skipped [\d,]+ messages \([\d,]+ msgs\/s\)$/);
  });

  it('never keeps more than maxQueuedMessages and drops the oldest unshown', async () => {
    const channel = new Channel();
    const t = await tail(channel, { pattern: 'burst.>', maxQueuedMessages: 100, batchIntervalMs: 200, maxBatchMessages: 10 });
    for (let i = 1; i <= 1000; i++) session!.nc.publish(`burst.${i}`, enc.encode('x'));
    await session!.nc.flush();
    await until('all received', () => t.stats().received === 1000);
    assert.ok(t.stats().queued <= 100);
    await until('the queue is empty', () => t.stats().queued === 0);
    const shown = channel.subjects('burst.').map(s => Number(s.split('.')[1]));
    // Whatever was shown came in order and ends with the newest: what was dropped was the oldest.
    assert.deepEqual(shown, [...shown].sort((a, b) => a - b));
    assert.equal(shown.at(-1), 1000);
    assert.equal(t.stats().shown + t.stats().skipped, 1000);
    assert.equal(channel.skippedSaid(), t.stats().skipped);
  });

  it('replays from a sequence, then follows live, and leaves no consumer after stop', async () => {
    const { name, prefix } = await streamOf();
    await publishStored(range(1, 20, i => `${prefix}.a.${i}`));
    const channel = new Channel();
    const t = await tail(channel, { pattern: `${prefix}.>`, from: { seq: 11 } });
    assert.equal(t.streamBacked, true);
    assert.equal(t.stream, name);
    await until('the past is shown', () => t.stats().shown === 10);
    await publishStored(range(21, 25, i => `${prefix}.a.${i}`));
    await until('the live ones are shown', () => t.stats().shown === 15);
    assert.deepEqual(channel.seqs(), range(11, 25, i => i));
    assert.deepEqual(channel.subjects(`${prefix}.`), range(11, 25, i => `${prefix}.a.${i}`));
    assert.equal((await consumerNames(jsm, name)).length, 1, 'the tail has its one consumer while it runs');
    await Promise.all([t.stop(), t.stop()]);
    await t.stop();
    assert.deepEqual(await consumerNames(jsm, name), []);
    assert.match(await t.closed, /stopped/);
  });

  it('replays since a time, then live, on a filter narrower than the stream', async () => {
    const { name, prefix } = await streamOf();
    await publishStored(range(1, 10, i => `${prefix}.${i % 2 ? 'odd' : 'even'}.${i}`));
    const since = await timeAfterStored(jsm, name);
    await publishStored(range(11, 20, i => `${prefix}.${i % 2 ? 'odd' : 'even'}.${i}`));
    const channel = new Channel();
    const t = await tail(channel, { pattern: `${prefix}.odd.*`, from: { since } });
    await publishStored(range(21, 24, i => `${prefix}.${i % 2 ? 'odd' : 'even'}.${i}`));
    await until('past and live odd ones are shown', () => t.stats().shown === 7);
    // Nothing else is on its way: a last odd one, shown in stream order, comes after anything that still was.
    await publishStored([`${prefix}.odd.25`]);
    await until('the last one is shown', () => channel.subjects(`${prefix}.`).includes(`${prefix}.odd.25`));
    assert.deepEqual(channel.subjects(`${prefix}.`), [11, 13, 15, 17, 19, 21, 23, 25].map(i => `${prefix}.odd.${i}`));
    await t.stop();
    assert.deepEqual(await consumerNames(jsm, name), []);
  });

  it('replays the last N matching messages, then live', async () => {
    const { name, prefix } = await streamOf();
    await publishStored(range(1, 30, i => `${prefix}.${i % 3 === 0 ? 'three' : 'other'}.${i}`));
    const channel = new Channel();
    const t = await tail(channel, { pattern: `${prefix}.three.>`, from: { last: 4 } });
    await until('the last four are shown', () => t.stats().shown === 4);
    await publishStored(range(31, 36, i => `${prefix}.${i % 3 === 0 ? 'three' : 'other'}.${i}`));
    await until('the live ones follow', () => t.stats().shown === 6);
    // Nothing else is on its way: a last one, shown in stream order, comes after anything that still was.
    await publishStored([`${prefix}.three.39`]);
    await until('the last one is shown', () => channel.subjects(`${prefix}.`).includes(`${prefix}.three.39`));
    assert.deepEqual(channel.subjects(`${prefix}.`), [21, 24, 27, 30, 33, 36, 39].map(i => `${prefix}.three.${i}`));
    await t.stop();
    assert.deepEqual(await consumerNames(jsm, name), []);
  });

  it('reads a work-queue stream\'s past with message gets (it refuses ordered consumers), takes nothing, then goes live', async () => {
    const { name, prefix } = await streamOf(RetentionPolicy.Workqueue);
    await publishStored(range(1, 8, i => `${prefix}.job.${i}`));
    const channel = new Channel();
    const t = await tail(channel, { pattern: `${prefix}.>`, from: { last: 5 } });
    assert.equal(t.streamBacked, false);
    assert.deepEqual(await consumerNames(jsm, name), []);
    await publishStored(range(9, 10, i => `${prefix}.job.${i}`));
    await until('past and live shown', () => t.stats().shown === 7);
    // Nothing else is on its way: a last one, shown in order, comes after anything that still was.
    await publishStored([`${prefix}.job.11`]);
    await until('the last one is shown', () => channel.subjects(`${prefix}.`).includes(`${prefix}.job.11`));
    assert.deepEqual(channel.subjects(`${prefix}.`), range(4, 11, i => `${prefix}.job.${i}`));
    assert.equal((await jsm.streams.info(name)).state.messages, 11, 'nothing was taken from the work queue');
  });

  it('says once that a tail changes what an interest stream keeps', async () => {
    const { name, prefix } = await streamOf(RetentionPolicy.Interest);
    const channel = new Channel();
    const t = await tail(channel, { pattern: `${prefix}.>`, from: { seq: 1 } });
    await publishStored(range(1, 3, i => `${prefix}.x.${i}`));
    await until('shown', () => t.stats().shown === 3);
    assert.deepEqual(channel.statuses.filter(s => /interest stream/.test(s)), [
      `${name} is an interest stream: this tail's consumer changes what it keeps (messages wait until the tail has been sent them, and may then be removed).`,
    ]);
    await t.stop();
    assert.deepEqual(await consumerNames(jsm, name), []);
  });

  it('refuses a tail from the past when no single stream stores the pattern, in a sentence', async () => {
    const e = await rejection(startTail(session!, { pattern: 'nowhere.>', from: { last: 1 }, onBatch: () => undefined }));
    assert.equal(e.message, `No stream on ${server!.url} stores "nowhere.>", so it has no past to tail: tail it live (without a start), or create a stream for it.`);
    const { prefix } = await streamOf();
    const wide = await rejection(startTail(session!, { pattern: '*.>', from: { last: 1 }, onBatch: () => undefined }));
    assert.match(wide.message, new RegExp(`^No single stream on \\S+ stores all of "\\*\\.>" \\(.*TAIL_\\d+ \\(${prefix}\\.>\\).* store part of it\\): narrow the pattern`));
    const bad = await rejection(startTail(session!, { pattern: 'a..b', onBatch: () => undefined }));
    assert.match(bad.message, /^"a\.\.b" is not a subject pattern/);
  });

  it('shows envelope warnings under a broken payload', async () => {
    const channel = new Channel();
    const t = await tail(channel, { pattern: 'dev.domain.sales.>', checkEnvelopes: envelopeChecker(preset('cim-start')) });
    const id = randomUUID();
    const good = {
      event_id: id, event_type: 'OrderCreated', aggregate_type: 'Order', aggregate_id: randomUUID(), domain: 'sales', timestamp: new Date().toISOString(),
      version: 1, data: {}, metadata: { correlation_id: id, causation_id: id, source: 'test' },
    };
    session!.nc.publish(`dev.domain.sales.order.created.${id}`, enc.encode(JSON.stringify(good)));
    const broken = randomUUID();
    session!.nc.publish(`dev.domain.sales.order.created.${broken}`, enc.encode(JSON.stringify({ ...good, event_id: undefined, metadata: { source: 'x' } })));
    await until('both shown', () => t.stats().shown === 2);
    const warnings = channel.lines.filter(l => l.startsWith('⚠ '));
    assert.deepEqual(warnings, [
      `⚠ Missing "event_id": a domain event's envelope carries it, equal to the subject's last token ${broken}.`,
      '⚠ Missing "metadata.correlation_id": a domain event\'s envelope carries it.',
      '⚠ Missing "metadata.causation_id": a domain event\'s envelope carries it.',
    ]);
    // They stand under the broken message's block, not under the good one.
    assert.ok(channel.lines.findIndex(l => l.includes(broken)) < channel.lines.indexOf(warnings[0]!));
  });

  it('resumes a stream-backed tail after the server is killed and restarted: nothing lost, nothing twice', async () => {
    const { name, prefix } = await streamOf();
    await jsm.streams.update(name, { subjects: [`${prefix}.>`] });
    await publishStored(range(1, 500, i => `${prefix}.e.${i}`));
    const before = await consumerNames(jsm, name);
    const channel = new Channel();
    // A slow channel: the kill comes while most of the replay still waits in the queue.
    const t = await tail(channel, { pattern: `${prefix}.>`, from: { seq: 1 }, maxBatchMessages: 20 });
    await until('the first batches are shown', () => t.stats().shown >= 40);

    process.kill(server!.pid, 'SIGKILL');
    await until('the tail says the server is gone', () => channel.statuses.some(s => / is gone: the tail of .* waits for it\.$/.test(s)));
    assert.ok(t.stats().queued > 0, 'messages still wait to be shown while the server is gone');
    await server!.restart();
    await until('the tail says it is back', () => channel.statuses.some(s => / is back: /.test(s)));
    assert.ok(channel.statuses.includes(`${server!.url} is back: the tail of "${prefix}.>" goes on from ${name} sequence 501.`), channel.statuses.join('\n'));

    await publishStored(range(501, 600, i => `${prefix}.e.${i}`));
    await until('all 600 are shown', () => t.stats().shown === 600, 60_000);
    // Nothing else is on its way (no replay twice): a last one, shown in stream order, comes after anything that still was.
    await publishStored([`${prefix}.e.601`]);
    await until('the last one is shown', () => channel.seqs().includes(601));
    assert.deepEqual(channel.seqs(), range(1, 601, i => i));
    assert.deepEqual({ received: t.stats().received, skipped: t.stats().skipped }, { received: 601, skipped: 0 });
    await t.stop();
    assert.deepEqual(await consumerNames(jsm, name), before);
  });

  it('goes on from where it was when its consumer is deleted under it, and stops when its stream is deleted', async () => {
    const { name, prefix } = await streamOf();
    await publishStored(range(1, 10, i => `${prefix}.d.${i}`));
    const channel = new Channel();
    const t = await tail(channel, { pattern: `${prefix}.>`, from: { seq: 1 } });
    await until('the first 10 are shown', () => t.stats().shown === 10);
    for (const c of await consumerNames(jsm, name)) await jsm.consumers.delete(name, c);
    await publishStored(range(11, 20, i => `${prefix}.d.${i}`));
    await until('the next 10 are shown', () => t.stats().shown === 20, 60_000);
    assert.deepEqual(channel.seqs(), range(1, 20, i => i));
    await jsm.streams.delete(name);
    assert.equal(await t.closed, `Stream ${name} was deleted: the tail of "${prefix}.>" stops.`);
    assert.equal(channel.statuses.at(-1), `Stream ${name} was deleted: the tail of "${prefix}.>" stops.`);
  });

  it('ends by itself when the connection closes, and says so', async () => {
    const own = await connectNats({ servers: server!.url });
    const channel = new Channel();
    const t = await startTail(own, { pattern: 'closing.>', ...channel.options });
    await own.close();
    assert.equal(await t.closed, `The connection to ${server!.url} closed: the tail of "closing.>" stops.`);
    assert.ok(channel.statuses.includes(`The connection to ${server!.url} closed: the tail of "closing.>" stops.`));
    await t.stop();
  });
});
