// A tail in a worker thread (what the extension runs) on a real nats-server: the same contract as an in-thread tail —
// every message once, a firehose counted honestly, a replay then live, a resume after the server was killed —
// with its own connection, a few messages handed back per batch, envelope warnings computed in the worker, its
// start failures as sentences, and nothing left behind when it stops.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { JetStreamManager } from '@nats-io/jetstream';
import { preset } from '../../src/core/algebra/compiled';
import type { ViewedMessage } from '../../src/core/message/types';
import type { NatsSession } from '../../src/nats/connection/connect';
import { NatsUserError } from '../../src/nats/errors/sentences';
import type { RunningNatsServer } from '../../dev/localServer';
import type { TailSession, TailStats } from '../../src/nats/tail/tail';
import { startTailInWorker, type WorkerTailInit, type WorkerTailOptions } from '../../src/nats/tail/workerTail';
import { eventually } from '../support/eventually';
import { rejection } from '../support/rejection';
import { seqsShown, skippedSaid, subjectsShown, until } from '../support/tailLines';
import { useTailServer } from '../support/tailServer';

const WORKER = path.resolve(__dirname, '../../src/nats/tail/tailWorker.js');
const enc = new TextEncoder();

class Channel {
  lines: string[] = [];
  statuses: string[] = [];
  messages: ViewedMessage[] = [];
  last: TailStats | undefined;
  options(extra: Partial<WorkerTailOptions> = {}): WorkerTailOptions {
    return {
      workerFile: WORKER,
      keepMessages: 5,
      onBatch: (lines, stats) => {
        this.lines.push(...lines);
        this.last = stats;
      },
      onMessage: m => void this.messages.push(m),
      onStatus: s => void this.statuses.push(s),
      ...extra,
    };
  }
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

const range = (from: number, to: number, f: (i: number) => string): string[] => Array.from({ length: to - from + 1 }, (_, k) => f(from + k));

describe('a tail in a worker thread', function () {
  this.timeout(120_000);
  const env = useTailServer();
  const { tails } = env;
  let server: RunningNatsServer | undefined;
  let session: NatsSession | undefined;
  let jsm: JetStreamManager;
  before(() => ({ server, session, jsm } = env));

  async function tail(channel: Channel, options: WorkerTailInit['tail'], extra: Partial<WorkerTailOptions> = {}): Promise<TailSession> {
    const t = await startTailInWorker({ servers: server!.url, reconnect: { timeWaitMs: 250 } }, options, channel.options(extra));
    tails.push(t);
    return t;
  }

  it('shows every message once, hands back the newest of each batch, and stops with its counts', async () => {
    const channel = new Channel();
    const t = await tail(channel, { pattern: 'w.live.>' });
    assert.equal(t.streamBacked, false);
    const sent = range(1, 300, i => `w.live.${i}`);
    // A moderate rate: 50 at a time, the next 50 once the channel has shown these.
    for (let i = 0; i < sent.length; i += 50) {
      for (const s of sent.slice(i, i + 50)) session!.nc.publish(s, enc.encode(JSON.stringify({ order: s })));
      await until(`the first ${i + 50} are shown`, () => t.stats().shown >= i + 50);
    }
    assert.equal(t.stats().shown, 300);
    assert.deepEqual(channel.subjects('w.live.'), sent);
    assert.equal(channel.messages.at(-1)?.subject, 'w.live.300', 'the last shown message came back whole');
    assert.equal(new TextDecoder().decode(channel.messages.at(-1)!.data), '{"order":"w.live.300"}');
    assert.ok(channel.messages.length < 300, 'only a few of each batch cross the thread');
    await t.stop();
    assert.deepEqual({ ...t.stats(), ratePerSec: 0 }, { received: 300, shown: 300, skipped: 0, queued: 0, ratePerSec: 0 });
    assert.equal(await t.closed, 'The tail of "w.live.>" stopped.');
    assert.equal(channel.statuses.at(-1), 'The tail of "w.live.>" stopped.');
  });

  it('counts a firehose honestly in the worker: shown + skipped = sent, the skips said', async () => {
    const channel = new Channel();
    const t = await tail(channel, { pattern: 'w.fire.>', maxBatchLines: 400, maxQueuedMessages: 2000 });
    const SENT = 50_000;
    const payload = enc.encode('{"n":1}');
    for (let i = 0; i < SENT; i++) session!.nc.publish('w.fire.x', payload);
    await session!.nc.flush();
    await until('every message is shown or skipped', () => t.stats().shown + t.stats().skipped === SENT, 60_000);
    const s = t.stats();
    assert.equal(s.received, SENT);
    assert.ok(s.skipped > 0, 'a firehose skips');
    // A skip is counted when the message is dropped and said in the next batch, which may come after these counts.
    await until('every skip is said in the channel', () => channel.skippedSaid() === s.skipped);
    assert.equal(channel.skippedSaid(), s.skipped, 'every skip is said in the channel');
  });

  it('replays a stream from a sequence, then follows live, and leaves no consumer after stop', async () => {
    await jsm.streams.add({ name: 'WTAIL', subjects: ['wt.>'] });
    const js = session!.jetstream();
    for (const s of range(1, 20, i => `wt.e.${i}`)) await js.publish(s, enc.encode('{}'));
    const channel = new Channel();
    const t = await tail(channel, { pattern: 'wt.>', from: { seq: 11 } });
    assert.equal(t.streamBacked, true);
    assert.equal(t.stream, 'WTAIL');
    await until('the ten from seq 11 are shown', () => t.stats().shown === 10);
    await js.publish('wt.e.21', enc.encode('{}'));
    await until('the live one is shown', () => t.stats().shown === 11);
    assert.deepEqual(channel.seqs(), range(11, 21, String).map(Number));
    await t.stop();
    const left: string[] = [];
    for await (const c of jsm.consumers.list('WTAIL')) left.push(c.name);
    assert.deepEqual(left, []);
  });

  it('resumes after the server is killed and restarted, on its own connection: nothing lost, nothing twice', async () => {
    await jsm.streams.add({ name: 'WRESUME', subjects: ['wr.>'] });
    const js = session!.jetstream();
    for (const s of range(1, 100, i => `wr.e.${i}`)) await js.publish(s, enc.encode('{}'));
    const channel = new Channel();
    const t = await tail(channel, { pattern: 'wr.>', from: { seq: 1 } });
    await until('the 100 are shown', () => t.stats().shown === 100);
    process.kill(server!.pid, 'SIGKILL');
    await until('the tail says the server is gone', () => channel.statuses.some(s => / is gone: the tail of "wr\.>" waits for it\.$/.test(s)));
    await server!.restart();
    await until('the tail says it is back', () => channel.statuses.some(s => / is back: /.test(s)), 30_000);
    await until('the test connection is back', () => !session!.nc.isClosed() && session!.nc.info !== undefined, 30_000);
    // Until JetStream is up again a publish may fail; its id makes a retry of one that was stored a duplicate.
    const publish = (i: number) => eventually(`wr.e.${i} to be stored`, () => js.publish(`wr.e.${i}`, enc.encode('{}'), { msgID: `wr-${i}` }), { intervalMs: 100, timeoutMs: 30_000 });
    for (let i = 101; i <= 110; i++) await publish(i);
    await until('all 110 are shown', () => t.stats().shown === 110, 30_000);
    // Nothing else is on its way (no replay twice): a last one, shown in stream order, comes after anything that still was.
    await publish(111);
    await until('the last one is shown', () => channel.seqs().includes(111));
    assert.deepEqual(channel.seqs(), range(1, 111, i => String(i)).map(Number));
  });

  it('checks envelopes in the worker with the algebra it is given', async () => {
    const channel = new Channel();
    const t = await tail(channel, { pattern: 'dev.domain.sales.>' }, { envelopes: { algebra: preset('cim-start').spec, definitions: [] } });
    session!.nc.publish('dev.domain.sales.order.placed.0b9e7c3a-7d3f-4a57-9c61-1f2e3d4c5b6a', enc.encode('{"data":{}}'));
    await until('the message is shown', () => t.stats().shown === 1);
    // Its warnings come in the lines of the batch that showed it.
    await until('its warning is shown', () => channel.lines.some(l => /^⚠ Missing "event_id"/.test(l)));
  });

  it('fails to start with the sentence: an invalid pattern, an unreachable server', async () => {
    const e1 = await rejection(startTailInWorker({ servers: server!.url }, { pattern: 'a..b' }, new Channel().options()));
    assert.ok(e1 instanceof NatsUserError);
    assert.match(e1.message, /^"a\.\.b" is not a subject pattern: write tokens separated by single dots/);
    const e2 = await rejection(startTailInWorker({ servers: 'nats://127.0.0.1:1', timeoutMs: 2_000 }, { pattern: 'x.>' }, new Channel().options()));
    assert.ok(e2 instanceof NatsUserError, String(e2));
    assert.match(e2.message, /127\.0\.0\.1:1/);
  });
});
