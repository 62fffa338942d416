// The shared reader on a real nats-server: last N, from a sequence, since a time and filtered, on limits, work-queue
// and interest streams, and afterwards each stream holds what it held, with the same consumers in the same state.
import assert from 'node:assert/strict';
import { AckPolicy, RetentionPolicy, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { NatsSession } from '../../src/nats/connection/connect';
import { readMessages, type ReadOptions, type ReadResult } from '../../src/nats/read/reader';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { timeAfterStored } from '../support/storedTime';

const KINDS = [
  { retention: RetentionPolicy.Limits, name: 'a limits' },
  { retention: RetentionPolicy.Workqueue, name: 'a work-queue' },
  { retention: RetentionPolicy.Interest, name: 'an interest' },
] as const;

/** What a stream and its consumers look like from outside: a read must leave all of it as it was. */
interface Footprint {
  messages: number;
  firstSeq: number;
  lastSeq: number;
  consumers: { name: string; num_pending: number; num_ack_pending: number; ack_floor: number; delivered: number; num_redelivered: number }[];
}

async function footprint(jsm: JetStreamManager, stream: string): Promise<Footprint> {
  const { state } = await jsm.streams.info(stream);
  const consumers: ConsumerInfo[] = [];
  for await (const c of jsm.consumers.list(stream)) consumers.push(c);
  return {
    messages: state.messages,
    firstSeq: state.first_seq,
    lastSeq: state.last_seq,
    consumers: consumers.map(c => ({
      name: c.name, num_pending: c.num_pending, num_ack_pending: c.num_ack_pending,
      ack_floor: c.ack_floor.stream_seq, delivered: c.delivered.stream_seq, num_redelivered: c.num_redelivered,
    })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

async function consumerNames(jsm: JetStreamManager, stream: string): Promise<string[]> {
  const names: string[] = [];
  for await (const c of jsm.consumers.list(stream)) names.push(c.name);
  return names.sort();
}

function seqs(r: ReadResult): number[] {
  return r.messages.map(m => m.seq!);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

describe('reading messages from a stream, every kind, nothing taken or left behind', function () {
  this.timeout(120_000);
  const nats = useNatsServer({ session: true });
  let session: NatsSession;
  let jsm: JetStreamManager;
  let n = 0;

  before(async () => {
    session = nats.session;
    jsm = await nats.jsm();
  });

  /** The footprint once the server has taken a consumer's acknowledgements (sent without waiting) as `settled` says. */
  const settledFootprint = (what: string, stream: string, settled: (f: Footprint) => void) =>
    eventually(what, async () => {
      const f = await footprint(jsm, stream);
      settled(f);
      return f;
    });

  /** A stream of one kind with `count` messages whose subjects `subjectOf(i)` gives; an interest stream gets a durable consumer first. */
  async function streamOf(retention: RetentionPolicy, count: number, subjectOf: (i: number) => string): Promise<{ name: string; prefix: string; subjects: string[] }> {
    const name = `READ_${++n}`;
    const prefix = `r${n}`;
    await jsm.streams.add({ name, subjects: [`${prefix}.>`], retention });
    if (retention === RetentionPolicy.Interest) await jsm.consumers.add(name, { durable_name: 'audit', ack_policy: AckPolicy.Explicit });
    const js = session.jetstream();
    const subjects: string[] = [''];
    for (let i = 1; i <= count; i += 256) {
      const batch = range(i, Math.min(count, i + 255)).map(k => {
        subjects[k] = `${prefix}.${subjectOf(k)}`;
        return js.publish(subjects[k]!, JSON.stringify({ k }));
      });
      await Promise.all(batch);
    }
    return { name, prefix, subjects };
  }

  const read = (o: ReadOptions) => readMessages(session, o);

  for (const kind of KINDS) {
    describe(`${kind.name} stream`, () => {
      it('reads the last N, from a sequence forward and backward, and pages to older', async () => {
        const { name } = await streamOf(kind.retention, 500, i => (i % 2 ? 'odd' : 'even'));
        const before = await footprint(jsm, name);

        const last = await read({ stream: name, from: { last: 20 }, max: 100 });
        assert.deepEqual(seqs(last), range(481, 500));
        assert.deepEqual([last.firstSeq, last.lastSeq, last.more], [481, 500, { older: true, newer: false }]);
        assert.deepEqual(JSON.parse(new TextDecoder().decode(last.messages[0]!.data)), { k: 481 });
        assert.equal(last.messages[0]!.stream, name);

        const capped = await read({ stream: name, from: { last: 50 }, max: 10 });
        assert.deepEqual(seqs(capped), range(491, 500));

        const forward = await read({ stream: name, from: { seq: 100 }, max: 5 });
        assert.deepEqual(seqs(forward), range(100, 104));
        assert.deepEqual(forward.more, { older: true, newer: true });

        const older = await read({ stream: name, from: { seq: last.firstSeq - 1 }, max: 20, direction: 'backward' });
        assert.deepEqual(seqs(older), range(461, 480));
        const oldest = await read({ stream: name, from: { seq: 15 }, max: 20, direction: 'backward' });
        assert.deepEqual(seqs(oldest), range(1, 15));
        assert.deepEqual(oldest.more, { older: false, newer: true });

        const beyond = await read({ stream: name, from: { seq: 501 }, max: 5 });
        assert.deepEqual([beyond.messages.length, beyond.more, beyond.note], [0, { older: true, newer: false }, `No message in stream ${name} from sequence 501.`]);

        assert.deepEqual(await footprint(jsm, name), before);
      });

      it('reads filtered: the last N of a sparse subject, exactly, and says when there are fewer', async () => {
        // Dense at the start, sparse later: the start of "the last N" is far from where a plain count would put it.
        const { name, prefix, subjects } = await streamOf(kind.retention, 3000, i => (i <= 400 || i % 97 === 0 ? 'rare.x' : `common.${i % 7}`));
        const before = await footprint(jsm, name);
        const rare = range(1, 3000).filter(i => subjects[i] === `${prefix}.rare.x`);

        for (const count of [1, 5, 26, 27, 100, 300]) {
          const r = await read({ stream: name, filter: `${prefix}.rare.*`, from: { last: count }, max: 1000 });
          assert.deepEqual(seqs(r), rare.slice(-count), `last ${count}`);
          assert.deepEqual(r.more, { older: true, newer: false }, `last ${count}`);
          assert.ok(r.messages.every(m => m.subject === `${prefix}.rare.x`));
        }
        const all = await read({ stream: name, filter: `${prefix}.rare.x`, from: { last: 1000 }, max: 1000 });
        assert.deepEqual(seqs(all), rare);
        assert.equal(all.note, `Stream ${name} holds only ${rare.length} messages on "${prefix}.rare.x".`);
        assert.deepEqual(all.more, { older: false, newer: false });

        const page = await read({ stream: name, filter: `${prefix}.rare.x`, from: { seq: 2000 }, max: 3, direction: 'backward' });
        assert.deepEqual(seqs(page), rare.filter(s => s <= 2000).slice(-3));
        const next = await read({ stream: name, filter: `${prefix}.rare.x`, from: { seq: 2000 }, max: 3 });
        assert.deepEqual(seqs(next), rare.filter(s => s >= 2000).slice(0, 3));

        const wild = await read({ stream: name, filter: '*.common.3', from: { last: 4 }, max: 10 });
        assert.deepEqual(seqs(wild), range(1, 3000).filter(i => subjects[i] === `${prefix}.common.3`).slice(-4));

        const none = await read({ stream: name, filter: 'elsewhere.>', from: { last: 4 }, max: 10 });
        assert.deepEqual([none.messages.length, none.note], [0, `Stream ${name} stores none of "elsewhere.>": its subjects are ${prefix}.>.`]);

        assert.deepEqual(await footprint(jsm, name), before);
      });

      it('reads since a time, forward and backward', async () => {
        const { name, prefix } = await streamOf(kind.retention, 30, () => 'early');
        const js = session.jetstream();
        const split = await timeAfterStored(jsm, name);
        for (let i = 31; i <= 40; i++) await js.publish(`${prefix}.late`, JSON.stringify({ k: i }));
        const before = await footprint(jsm, name);

        const since = await read({ stream: name, from: { since: split }, max: 100 });
        assert.deepEqual(seqs(since), range(31, 40));
        assert.deepEqual(since.more, { older: true, newer: false });
        const few = await read({ stream: name, from: { since: split }, max: 4 });
        assert.deepEqual([seqs(few), few.more.newer], [range(31, 34), true]);
        const earlier = await read({ stream: name, from: { since: split }, max: 5, direction: 'backward' });
        assert.deepEqual(seqs(earlier), range(26, 30));
        const filtered = await read({ stream: name, filter: `${prefix}.early`, from: { since: new Date(Date.now() - 60_000) }, max: 100 });
        assert.deepEqual(seqs(filtered), range(1, 30));
        const later = await read({ stream: name, from: { since: new Date(Date.now() + 1000) }, max: 5 });
        assert.equal(later.messages.length, 0);
        assert.match(later.note!, new RegExp(`^No message in stream ${name} since `));

        assert.deepEqual(await footprint(jsm, name), before);
      });

      it('brings headers and binary payloads back intact', async () => {
        const name = `READ_${++n}`;
        const prefix = `r${n}`;
        await jsm.streams.add({ name, subjects: [`${prefix}.>`], retention: kind.retention });
        if (kind.retention === RetentionPolicy.Interest) await jsm.consumers.add(name, { durable_name: 'audit', ack_policy: AckPolicy.Explicit });
        const binary = Uint8Array.from(range(0, 255));
        const h = natsHeaders();
        h.append('Nats-Msg-Id', 'm-1');
        h.append('X-Tag', 'a');
        h.append('X-Tag', 'b: with colon');
        await session.jetstream().publish(`${prefix}.bin`, binary, { headers: h });
        await session.jetstream().publish(`${prefix}.empty`, new Uint8Array(0));

        const r = await read({ stream: name, from: { last: 2 }, max: 2 });
        assert.deepEqual(r.messages[0]!.headers, [['Nats-Msg-Id', 'm-1'], ['X-Tag', 'a'], ['X-Tag', 'b: with colon']]);
        assert.deepEqual([...r.messages[0]!.data], [...binary]);
        assert.equal(r.messages[0]!.size, 256);
        assert.deepEqual([r.messages[1]!.headers, r.messages[1]!.data.length, r.messages[1]!.subject], [[], 0, `${prefix}.empty`]);
        assert.ok(r.messages[0]!.time instanceof Date && Math.abs(r.messages[0]!.time.getTime() - Date.now()) < 60_000);
      });
    });
  }

  it('finds the last N of large filtered messages behind a dense block of them, on a limits stream', async () => {
    // 16 KiB messages: overshooting is no longer cheap, so the reader narrows the start between two probes.
    const name = `READ_${++n}`;
    const prefix = `r${n}`;
    await jsm.streams.add({ name, subjects: [`${prefix}.>`] });
    const js = session.jetstream();
    const payload = new Uint8Array(16 * 1024);
    const rare: number[] = [];
    for (let i = 1; i <= 3000; i += 250) {
      await Promise.all(range(i, Math.min(3000, i + 249)).map(k => {
        const hit = k <= 600 || k % 97 === 0;
        if (hit) rare.push(k);
        return js.publish(`${prefix}.${hit ? 'rare' : 'common'}`, payload);
      }));
    }
    rare.sort((a, b) => a - b);
    for (const count of [3, 20, 40, 200]) {
      const r = await read({ stream: name, filter: `${prefix}.rare`, from: { last: count }, max: 500 });
      assert.deepEqual(seqs(r), rare.slice(-count), `last ${count}`);
    }
    const page = await read({ stream: name, filter: `${prefix}.rare`, from: { seq: 2500 }, max: 30, direction: 'backward' });
    assert.deepEqual(seqs(page), rare.filter(s => s <= 2500).slice(-30));
    assert.deepEqual(await consumerNames(jsm, name), []);
  });

  it('leaves a work-queue consumer\'s pending and acknowledged messages as they were, holes included', async () => {
    const { name } = await streamOf(RetentionPolicy.Workqueue, 100, () => 'job');
    await jsm.consumers.add(name, { durable_name: 'worker', ack_policy: AckPolicy.Explicit });
    const worker = await session.jetstream().consumers.get(name, 'worker');
    const taken = await worker.fetch({ max_messages: 20, expires: 2000 });
    for await (const m of taken) {
      if (m.seq % 2 === 0) m.ack(); // leaves holes where it acknowledged
      if (m.seq === 20) break;
    }
    const before = await settledFootprint('the worker\'s 10 acknowledgements to be taken', name, f => assert.deepEqual([f.messages, f.consumers[0]!.num_ack_pending], [90, 10]));
    assert.equal(before.messages, 90);

    const last = await read({ stream: name, from: { last: 95 }, max: 95 });
    assert.deepEqual(seqs(last), range(1, 100).filter(s => s > 20 || s % 2 === 1));
    assert.equal(last.note, `Stream ${name} holds only 90 messages.`);
    const page = await read({ stream: name, from: { seq: 12 }, max: 3 });
    assert.deepEqual(seqs(page), [13, 15, 17]);

    assert.deepEqual(await footprint(jsm, name), before);
  });

  it('leaves an interest stream\'s durable consumer with the same pending and acknowledgement state', async () => {
    const { name } = await streamOf(RetentionPolicy.Interest, 60, i => (i % 3 ? 'a' : 'b'));
    const audit = await session.jetstream().consumers.get(name, 'audit');
    const taken = await audit.fetch({ max_messages: 15, expires: 2000 });
    for await (const m of taken) {
      if (m.seq <= 10) m.ack(); // acknowledged: gone from the stream; 11..15 delivered, not acknowledged
      if (m.seq === 15) break;
    }
    const before = await settledFootprint('the audit consumer\'s 10 acknowledgements to be taken', name,
      f => assert.deepEqual([f.messages, f.firstSeq, f.consumers[0]!.num_ack_pending, f.consumers[0]!.num_pending], [50, 11, 5, 45]));

    for (const o of [
      { from: { last: 50 }, max: 100 }, { from: { seq: 1 }, max: 100 }, { from: { last: 10 }, max: 10, filter: `r${n}.b` },
      { from: { since: new Date(Date.now() - 60_000) }, max: 100 },
    ] as const) {
      // A read of an interest stream gets messages by sequence and makes no consumer: once it resolves, the server has
      // answered every request it sent, and nothing of it is left to change the stream later.
      await read({ stream: name, ...o });
      assert.deepEqual(await footprint(jsm, name), before, JSON.stringify(o));
    }
    const all = await read({ stream: name, from: { seq: 1 }, max: 100 });
    assert.deepEqual(seqs(all), range(11, 60));
  });

  it('leaves no consumer behind when a read is cancelled while its consumer is fetching', async () => {
    const name = `READ_${++n}`;
    await jsm.streams.add({ name, subjects: [`r${n}.>`] });
    const js = session.jetstream();
    const payload = new Uint8Array(4096);
    for (let i = 0; i < 20_000; i += 500) await Promise.all(range(1, 500).map(() => js.publish(`r${n}.big`, payload)));

    const controller = new AbortController();
    const reading = read({ stream: name, from: { last: 20_000 }, max: 20_000, signal: controller.signal });
    let settled = false;
    const done = () => void (settled = true);
    reading.then(done, done);
    const seen = await eventually('the read to create its consumer (or to end)', async () => ((await consumerNames(jsm, name)).length > 0 ? 'its consumer' : settled && 'the read ended'), { intervalMs: 2 });
    controller.abort();
    await assert.rejects(reading, (e: Error) => e.name === 'AbortError');
    assert.equal(seen, 'its consumer', 'the read had created its consumer before it was cancelled');
    assert.deepEqual(await consumerNames(jsm, name), []);

    await assert.rejects(read({ stream: name, from: { last: 1 }, max: 1, signal: AbortSignal.abort() }), (e: Error) => e.name === 'AbortError');
    assert.deepEqual(await consumerNames(jsm, name), []);
  });

  it('cancels a read by sequence on a work-queue stream', async () => {
    const { name } = await streamOf(RetentionPolicy.Workqueue, 300, () => 'job');
    // The read's message gets, seen as they go out: it is cancelled once it has asked for its first one.
    const gets = session.nc.subscribe(`$JS.API.STREAM.MSG.GET.${name}`, { max: 1 });
    await session.nc.flush();
    const controller = new AbortController();
    const reading = read({ stream: name, from: { seq: 1 }, max: 300, filter: `r${n}.job`, signal: controller.signal });
    for await (const _ of gets) controller.abort();
    await assert.rejects(reading, (e: Error) => e.name === 'AbortError');
    assert.deepEqual((await footprint(jsm, name)).messages, 300);
  });

  it('says a stream does not exist, in the user\'s words', async () => {
    const { name } = await streamOf(RetentionPolicy.Limits, 3, () => 'x');
    await jsm.streams.delete(name);
    await assert.rejects(read({ stream: name, from: { last: 3 }, max: 3 }), (e: Error) =>
      e.name === 'NatsUserError' && e.message === `Stream ${name} does not exist on ${nats.url}: create it first or check the name.`);
  });

  it('reads a limits stream whose consumer limit is used up by message gets instead', async () => {
    const name = `READ_${++n}`;
    await jsm.streams.add({ name, subjects: [`r${n}.>`], max_consumers: 1 });
    await jsm.consumers.add(name, { durable_name: 'only', ack_policy: AckPolicy.Explicit });
    for (let i = 1; i <= 12; i++) await session.jetstream().publish(`r${n}.${i % 2 ? 'odd' : 'even'}`, JSON.stringify({ i }));
    const before = await footprint(jsm, name);
    assert.deepEqual(seqs(await read({ stream: name, from: { last: 5 }, max: 5 })), range(8, 12));
    assert.deepEqual(seqs(await read({ stream: name, filter: `r${n}.even`, from: { last: 2 }, max: 5 })), [10, 12]);
    assert.deepEqual(await footprint(jsm, name), before);
  });

  it('refuses a filter that is no subject pattern before asking the server', async () => {
    await assert.rejects(read({ stream: 'ANY', filter: 'dev..sales', from: { last: 1 }, max: 1 }), (e: Error) =>
      e.name === 'NatsUserError' && e.message === '"dev..sales" is not a subject filter: write tokens separated by single dots, without spaces, with * for one token and > only at the end.');
  });

  it('says an empty stream holds no messages', async () => {
    const name = `READ_${++n}`;
    await jsm.streams.add({ name, subjects: [`r${n}.>`] });
    const r = await read({ stream: name, from: { last: 10 }, max: 10 });
    assert.deepEqual([r.messages, r.firstSeq, r.lastSeq, r.more, r.note], [[], 0, 0, { older: false, newer: false }, `Stream ${name} holds no messages.`]);
  });
});
