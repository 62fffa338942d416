// Export and import on a real nats-server: a round trip restores subjects, headers and payloads; an import inside the
// duplicate window says what it did not store and why (the purge trap above all); exports take nothing from
// work-queue and interest streams and leave no consumer behind, also when cancelled.
import assert from 'node:assert/strict';
import { AckPolicy, RetentionPolicy, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { parseJsonLine } from '../../src/core/message/format';
import type { ViewedMessage } from '../../src/core/message/types';
import type { NatsSession } from '../../src/nats/connection/connect';
import { NatsUserError } from '../../src/nats/errors/sentences';
import { exportMessages, type ExportOptions } from '../../src/nats/read/export';
import { importMessages, StreamMissingError } from '../../src/nats/read/import';
import { parseStreamConfigDocument, streamConfigDocument } from '../../src/nats/streams/configDocument';
import { duplicateWindowPassed } from '../support/duplicateWindow';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { timeAfterStored } from '../support/storedTime';

const encoder = new TextEncoder();

/** What a stream and its consumers look like from outside: an export must leave all of it as it was. */
async function footprint(jsm: JetStreamManager, stream: string) {
  const { state } = await jsm.streams.info(stream);
  const consumers: ConsumerInfo[] = [];
  for await (const c of jsm.consumers.list(stream)) consumers.push(c);
  return {
    messages: state.messages, firstSeq: state.first_seq, lastSeq: state.last_seq,
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

function parsed(lines: string[]): ViewedMessage[] {
  return lines.map((l, i) => {
    const p = parseJsonLine(l, i + 1);
    if (!p.ok) throw new Error(p.problem);
    return p.message;
  });
}

describe('exporting and importing messages', function () {
  this.timeout(120_000);
  const nats = useNatsServer({ session: true });
  let session: NatsSession;
  let jsm: JetStreamManager;
  let n = 0;

  before(async () => {
    session = nats.session;
    jsm = await nats.jsm();
  });

  const unique = () => ++n;

  async function exportAll(options: Omit<ExportOptions, 'write'>): Promise<{ lines: string[]; result: Awaited<ReturnType<typeof exportMessages>> }> {
    const lines: string[] = [];
    const result = await exportMessages(session, { ...options, write: l => void lines.push(l) });
    return { lines, result };
  }

  /** A stream with a JSON event (with its id), a binary payload, text, an empty payload and repeated headers. */
  async function mixedStream(duplicateWindowNs?: number): Promise<{ name: string; prefix: string }> {
    const k = unique();
    const name = `EXPORT_${k}`;
    const prefix = `x${k}`;
    await jsm.streams.add({ name, subjects: [`${prefix}.>`], ...(duplicateWindowNs ? { duplicate_window: duplicateWindowNs } : {}) });
    const js = session.jetstream();
    const h = natsHeaders();
    h.append('X-Trace', 'a');
    h.append('X-Trace', 'b');
    h.append('Content-Type', 'application/json');
    await js.publish(`${prefix}.domain.sales.order.placed.1`, encoder.encode('{"event_id":"e-1","total":12345678901234567890,"items":[1,2]}'), { msgID: 'e-1', headers: h });
    await js.publish(`${prefix}.bin`, new Uint8Array([0, 1, 2, 255, 254, 10, 13]));
    await js.publish(`${prefix}.text`, encoder.encode('plain text, not JSON'));
    await js.publish(`${prefix}.empty`, new Uint8Array(0), { msgID: 'empty-1' });
    await js.publish(`${prefix}.json.base64shape`, encoder.encode('{"base64":"AAAA"}'));
    return { name, prefix };
  }

  it('exports in stream order, purges, imports the same subjects, headers and payloads back; a second import stores nothing', async () => {
    const { name } = await mixedStream(1e9);
    const progress: [number, number | undefined][] = [];
    const { lines, result } = await exportAll({ stream: name, onProgress: (c, t) => progress.push([c, t]) });
    assert.deepEqual(result, { exported: 5, firstSeq: 1, lastSeq: 5 });
    assert.deepEqual(progress.at(-1), [5, 5]);
    const original = parsed(lines);
    assert.deepEqual(original.map(m => m.seq), [1, 2, 3, 4, 5]);
    assert.deepEqual(original[0]!.headers, [['X-Trace', 'a'], ['X-Trace', 'b'], ['Content-Type', 'application/json'], ['Nats-Msg-Id', 'e-1']]);
    assert.ok(lines[0]!.includes('"payload":{"event_id":"e-1","total":12345678901234567890,"items":[1,2]}'), lines[0]);

    await jsm.streams.purge(name);
    // The stream's 1 s duplicate window forgets the ids it saw.
    await duplicateWindowPassed(session, name, ['e-1', 'empty-1']);
    const imported = await importMessages(session, { stream: name, lines });
    assert.equal(imported.stored, 5, imported.summary.join(' '));
    assert.deepEqual([imported.duplicates, imported.failed, imported.brokenCount, imported.ok], [0, 0, 0, true]);
    assert.deepEqual(imported.summary, [`Stored 5 of 5 messages in ${name}.`]);

    const back = parsed((await exportAll({ stream: name })).lines);
    assert.deepEqual(back.map(m => m.seq), [6, 7, 8, 9, 10]);
    assert.deepEqual(back.map(m => m.subject), original.map(m => m.subject));
    assert.deepEqual(back.map(m => Buffer.from(m.data).toString('hex')), original.map(m => Buffer.from(m.data).toString('hex')));
    assert.equal(Buffer.from(back[1]!.data).toString('hex'), '000102fffe0a0d');
    assert.equal(new TextDecoder().decode(back[4]!.data), '{"base64":"AAAA"}');
    // A message published without an id comes back under one derived from its original sequence.
    assert.deepEqual(back.map(m => m.headers), [
      original[0]!.headers,
      [['Nats-Msg-Id', `${name}-2`]],
      [['Nats-Msg-Id', `${name}-3`]],
      [['Nats-Msg-Id', 'empty-1']],
      [['Nats-Msg-Id', `${name}-5`]],
    ]);
    assert.ok(back.every(m => m.headers.every(([h]) => h !== 'Nats-Expected-Stream')));

    const again = await importMessages(session, { stream: name, lines });
    assert.deepEqual([again.stored, again.duplicates, again.notStored, again.ok], [0, 5, undefined, true]);
    assert.deepEqual(again.summary, [
      `Stored 0 of 5 messages in ${name}.`,
      `5 messages were already in ${name}: their message ids are within its 1s duplicate window, so they were not stored again.`,
    ]);
    assert.equal((await jsm.streams.info(name)).state.messages, 5);
  });

  it('says when a purge inside the duplicate window keeps messages out, and imports them under new ids', async () => {
    const k = unique();
    const name = `PURGED_${k}`;
    await jsm.streams.add({ name, subjects: [`p${k}.>`] });
    const js = session.jetstream();
    for (let i = 1; i <= 7; i++) await js.publish(`p${k}.domain.sales.order.placed.${i}`, encoder.encode(JSON.stringify({ event_id: `ev-${i}` })), { msgID: `ev-${i}` });
    const { lines } = await exportAll({ stream: name });
    const storedAt = parsed(lines).at(-1)!.time!.getTime();
    await jsm.streams.purge(name);

    const trapped = await importMessages(session, { stream: name, lines });
    assert.deepEqual([trapped.stored, trapped.duplicates, trapped.failed, trapped.ok], [0, 7, 0, false]);
    assert.equal(trapped.notStored?.count, 7);
    assert.equal(trapped.notStored?.duplicateWindow, '2m');
    assert.equal(trapped.notStored?.cause, 'purged');
    // The window ends 2 minutes after the newest of the remembered ids was stored.
    assert.equal(trapped.notStored!.until.getTime(), storedAt + 120_000);
    const until = trapped.notStored!.until;
    const clock = [until.getHours(), until.getMinutes(), until.getSeconds()].map(x => String(x).padStart(2, '0')).join(':');
    assert.deepEqual(trapped.summary, [
      `Stored 0 of 7 messages in ${name}.`,
      `7 messages were not stored: ${name} was purged within its 2m duplicate window, which still remembers their message ids until ${clock}. Wait until then, or import under new ids.`,
    ]);
    assert.equal((await jsm.streams.info(name)).state.messages, 0);

    const fresh = await importMessages(session, { stream: name, lines, newIds: true });
    assert.deepEqual([fresh.stored, fresh.duplicates, fresh.ok], [7, 0, true]);
    const back = parsed((await exportAll({ stream: name })).lines);
    assert.deepEqual(back.map(m => m.subject), parsed(lines).map(m => m.subject));
    for (const [i, m] of back.entries()) {
      const header = (h: string) => m.headers.find(([x]) => x === h)?.[1];
      assert.equal(header('X-Original-Msg-Id'), `ev-${i + 1}`);
      assert.match(header('Nats-Msg-Id') ?? '', /^[0-9a-f-]{36}$/);
    }
  });

  it('stops at a broken line, or skips it, naming its line number', async () => {
    const k = unique();
    const name = `BROKEN_${k}`;
    await jsm.streams.add({ name, subjects: [`b${k}.>`] });
    const line = (i: number) => JSON.stringify({ subject: `b${k}.e.${i}`, headers: [], payload: { i } });
    const lines = [line(1), 'not json at all', line(3), '', '{"subject":"b.x"}', line(6)];

    const stopped = await importMessages(session, { stream: name, lines });
    assert.deepEqual([stopped.stored, stopped.brokenCount, stopped.ok, stopped.stopped?.line, stopped.stopped?.reason], [1, 1, false, 2, 'broken']);
    assert.match(stopped.broken[0]!.problem, /^line 2: not JSON \(/);
    assert.match(stopped.summary.at(-1)!, /^The import stopped at a broken line, line 2: not JSON .* The lines after it were not read: fix the line, or skip broken lines\.$/);

    const skipped = await importMessages(session, { stream: name, lines, onBrokenLine: 'skip', newIds: true });
    assert.deepEqual([skipped.stored, skipped.messages, skipped.lines, skipped.ok, skipped.stopped], [3, 3, 6, false, undefined]);
    assert.deepEqual(skipped.broken.map(b => b.line), [2, 5]);
    assert.match(skipped.broken[1]!.problem, /^line 5: no "payload"/);
    assert.equal(skipped.summary.at(-1), `2 broken lines were skipped; the first: ${skipped.broken[0]!.problem}`);
  });

  it('stops an import when cancelled, saying after which line, with what was stored counted', async () => {
    const k = unique();
    const name = `STOP_${k}`;
    await jsm.streams.add({ name, subjects: [`s${k}.>`] });
    const controller = new AbortController();
    const lines = (function* () {
      for (let i = 1; i <= 5000; i++) yield JSON.stringify({ subject: `s${k}.e`, headers: [], payload: { i } });
    })();
    const r = await importMessages(session, { stream: name, lines, signal: controller.signal, onProgress: p => p.stored === 100 && controller.abort() });
    assert.deepEqual([r.stopped?.reason, r.stopped?.line, r.ok], ['cancelled', r.lines, false]);
    assert.ok(r.lines >= 100 && r.lines < 5000, String(r.lines));
    assert.equal(r.stored, r.lines);
    assert.equal(r.summary.at(-1), `The import was cancelled after line ${r.lines}.`);
    assert.equal((await jsm.streams.info(name)).state.messages, r.stored);
  });

  it('fails a message over the server\'s max payload or the stream\'s max message size with its size, and stores the rest', async () => {
    const k = unique();
    const name = `BIG_${k}`;
    await jsm.streams.add({ name, subjects: [`g${k}.>`] });
    const big = Buffer.alloc(1024 * 1024 + 10, 7).toString('base64');
    const lines = [
      JSON.stringify({ subject: `g${k}.small`, headers: [], payload: { ok: 1 } }),
      JSON.stringify({ subject: `g${k}.big`, headers: [], payload: { base64: big } }),
      JSON.stringify({ subject: `other${k}.elsewhere`, headers: [], payload: 1 }),
      JSON.stringify({ subject: `g${k}.small2`, headers: [], payload: { ok: 2 } }),
    ];
    const r = await importMessages(session, { stream: name, lines });
    assert.deepEqual([r.stored, r.failed, r.ok], [2, 2, false]);
    assert.deepEqual(r.failures.map(f => f.line), [2, 3]);
    assert.match(r.failures[0]!.problem, /^line 2 \(g\d+\.big\): the message is 1\.0 MiB \(1,048,\d{3} bytes\) with its headers, over the server's max payload of 1 MiB \(1,048,576 bytes\): it cannot be published/);
    assert.equal(r.failures[1]!.problem, `line 3 (other${k}.elsewhere): ${name} does not store this subject (its subjects are g${k}.>).`);
    assert.equal(r.summary[1], `2 messages failed; the first: ${r.failures[0]!.problem}`);

    const limited = `LIMITED_${k}`;
    await jsm.streams.add({ name: limited, subjects: [`l${k}.>`], max_msg_size: 100 });
    const sized = await importMessages(session, { stream: limited, lines: [JSON.stringify({ subject: `l${k}.x`, headers: [], payload: { base64: Buffer.alloc(200).toString('base64') } })] });
    assert.equal(sized.failed, 1);
    assert.match(sized.firstFailure!, new RegExp(`^line 1 \\(l${k}\\.x\\): the message is \\d+ bytes with its headers, over ${limited}'s max message size of 100 bytes: it was not stored\\.$`));
  });

  for (const retention of [RetentionPolicy.Workqueue, RetentionPolicy.Interest]) {
    it(`exports a ${retention} stream without taking a message or changing its consumer`, async () => {
      const k = unique();
      const name = `KIND_${k}`;
      await jsm.streams.add({ name, subjects: [`k${k}.>`], retention });
      await jsm.consumers.add(name, { durable_name: 'worker', ack_policy: AckPolicy.Explicit });
      const js = session.jetstream();
      for (let i = 1; i <= 300; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => js.publish(`k${k}.${(i + j) % 3 ? 'a' : 'b'}`, encoder.encode(`{"i":${i + j}}`))));
      // Some messages delivered and acknowledged, some delivered and pending: a state an export must not move.
      const worker = await js.consumers.get(name, 'worker');
      const batch = await worker.fetch({ max_messages: 20, expires: 2000 });
      let i = 0;
      for await (const m of batch) {
        if (i++ % 2 === 0) m.ack();
        if (i === 20) break;
      }
      // The server has taken the 10 acknowledgements (fire-and-forget) and removed those messages.
      const before = await eventually('the worker\'s 10 acknowledgements to be taken', async () => {
        const f = await footprint(jsm, name);
        return f.messages === 290 && f.consumers[0]?.num_ack_pending === 10 && f;
      });

      const all = await exportAll({ stream: name });
      assert.equal(all.result.exported, before.messages);
      const seqs = parsed(all.lines).map(m => m.seq!);
      assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
      const filtered = await exportAll({ stream: name, filter: `k${k}.b`, from: { seq: 100 } });
      assert.ok(parsed(filtered.lines).every(m => m.subject === `k${k}.b` && m.seq! >= 100));
      assert.equal(filtered.result.exported, seqs.filter(s => s >= 100 && s % 3 === 0).length);

      assert.deepEqual(await footprint(jsm, name), before);
      assert.deepEqual(await consumerNames(jsm, name), ['worker']);
    });
  }

  it('says when a work-queue stream\'s consumers removed the messages inside the window, and when an interest stream keeps nothing', async () => {
    const k = unique();
    const name = `DONE_${k}`;
    await jsm.streams.add({ name, subjects: [`w${k}.>`], retention: RetentionPolicy.Workqueue });
    const js = session.jetstream();
    for (let i = 1; i <= 3; i++) await js.publish(`w${k}.job`, encoder.encode(`{"job":${i}}`), { msgID: `job-${i}` });
    const { lines } = await exportAll({ stream: name });
    await jsm.consumers.add(name, { durable_name: 'worker', ack_policy: AckPolicy.Explicit });
    const batch = await (await js.consumers.get(name, 'worker')).fetch({ max_messages: 3, expires: 2000 });
    for await (const m of batch) await m.ackAck();
    assert.equal((await jsm.streams.info(name)).state.messages, 0);
    const r = await importMessages(session, { stream: name, lines });
    assert.deepEqual([r.stored, r.notStored?.count, r.notStored?.cause, r.ok], [0, 3, 'consumed', false]);
    assert.match(r.summary[1]!, new RegExp(`^3 messages were not stored: ${name}'s consumers removed them within its 2m duplicate window, which still remembers their message ids until `));

    const interest = `NOBODY_${k}`;
    await jsm.streams.add({ name: interest, subjects: [`n${k}.>`], retention: RetentionPolicy.Interest });
    const kept = await importMessages(session, { stream: interest, lines: [JSON.stringify({ subject: `n${k}.x`, payload: { a: 1 } })] });
    assert.equal(kept.summary[1], `${interest} is an interest stream with no consumer: it keeps no message, so the 1 message acknowledged is not held (add its consumers first, then import again under new ids).`);
  });

  it('exports a range and a filter of a limits stream, since a time, page by page through writes that wait', async () => {
    const k = unique();
    const name = `RANGE_${k}`;
    await jsm.streams.add({ name, subjects: [`r${k}.>`] });
    const js = session.jetstream();
    for (let i = 1; i <= 2000; i += 250) await Promise.all(Array.from({ length: 250 }, (_, j) => js.publish(`r${k}.${(i + j) % 10 === 0 ? 'ten' : 'other'}`, encoder.encode(`{"i":${i + j}}`))));
    const since = await timeAfterStored(jsm, name);
    for (let i = 2001; i <= 2010; i++) await js.publish(`r${k}.late`, encoder.encode(`{"i":${i}}`));

    let slow = 0;
    const range = await exportMessages(session, { stream: name, from: { seq: 500 }, toSeq: 1500, write: async () => { if (++slow % 100 === 0) await new Promise<void>(resolve => setImmediate(resolve)); } });
    assert.deepEqual(range, { exported: 1001, firstSeq: 500, lastSeq: 1500 });
    const tens = await exportAll({ stream: name, filter: `r${k}.ten` });
    assert.deepEqual(parsed(tens.lines).map(m => m.seq), Array.from({ length: 200 }, (_, i) => (i + 1) * 10));
    const late = await exportAll({ stream: name, from: { since } });
    assert.deepEqual([late.result.firstSeq, late.result.lastSeq, late.result.exported], [2001, 2010, 10]);
    const viaReader = await exportAll({ stream: name, filter: `r${k}.ten`, method: 'reader' });
    assert.deepEqual(viaReader.lines, tens.lines);
    assert.deepEqual(await consumerNames(jsm, name), []);
  });

  it('leaves no consumer behind when an export is cancelled in the middle', async () => {
    const k = unique();
    const name = `CANCEL_${k}`;
    await jsm.streams.add({ name, subjects: [`c${k}.>`] });
    const js = session.jetstream();
    for (let i = 0; i < 6000; i += 500) await Promise.all(Array.from({ length: 500 }, (_, j) => js.publish(`c${k}.e`, encoder.encode(`{"i":${i + j}}`))));
    const controller = new AbortController();
    let written = 0;
    await assert.rejects(
      exportMessages(session, { stream: name, signal: controller.signal, write: () => void written++, onProgress: c => c === 1000 && controller.abort(new Error('stop here')) }),
      /stop here/,
    );
    assert.equal(written, 1000);
    assert.deepEqual(await consumerNames(jsm, name), []);
  });

  it('writes the stream configuration, creates a missing stream from it, and says so when there is none', async () => {
    const { name } = await mixedStream();
    const { lines } = await exportAll({ stream: name });
    const document = await streamConfigDocument(session, name);
    const config = parseStreamConfigDocument(document);
    assert.ok(config.ok);
    assert.equal(config.config.name, name);
    await jsm.streams.delete(name);

    await assert.rejects(importMessages(session, { stream: name, lines }), (e: unknown) => {
      assert.ok(e instanceof StreamMissingError);
      assert.equal(e.stream, name);
      assert.equal(e.message, `Stream ${name} does not exist on ${nats.url}: create it first, or give its configuration (the export's .stream.json) to create it.`);
      return true;
    });
    const r = await importMessages(session, { lines, config: document, newIds: true });
    assert.deepEqual([r.stream, r.stored, r.created], [name, 5, { notes: [] }]);
    assert.equal(r.summary[0], `Created stream ${name} from its configuration.`);
    const info = await jsm.streams.info(name);
    assert.deepEqual(info.config.subjects, (JSON.parse(document) as { subjects: string[] }).subjects);

    // What nats-server 2.15 writes (its own metadata, 2.10+ fields at their defaults) creates the stream on 2.9 too.
    const k = unique();
    const fromNewer = JSON.stringify({
      name: `NEWER_${k}`, subjects: [`v${k}.>`], retention: 'limits', max_consumers: -1, max_msgs: -1, max_bytes: -1, max_age: 0,
      max_msgs_per_subject: -1, max_msg_size: -1, discard: 'old', storage: 'file', num_replicas: 1, duplicate_window: 120000000000,
      compression: 'none', allow_direct: false, mirror_direct: false, sealed: false, deny_delete: false, deny_purge: false,
      allow_rollup_hdrs: false, consumer_limits: {}, allow_msg_ttl: false, metadata: { '_nats.level': '5', '_nats.req.level': '0', '_nats.ver': '2.15.1' },
    });
    const newer = await importMessages(session, { lines: [JSON.stringify({ subject: `v${k}.a`, payload: 1 })], config: fromNewer });
    assert.deepEqual([newer.stream, newer.stored, newer.created], [`NEWER_${k}`, 1, { notes: [] }]);
  });

  it('finds the stream from the first message\'s subject when none is named', async () => {
    const { name, prefix } = await mixedStream();
    const { lines } = await exportAll({ stream: name });
    const r = await importMessages(session, { lines: (async function* () { yield ''; yield* lines; })(), newIds: true });
    assert.deepEqual([r.stream, r.stored, r.lines], [name, 5, 6]);
    await assert.rejects(importMessages(session, { lines: [JSON.stringify({ subject: `${prefix}x.nowhere`, payload: 1 })] }), (e: unknown) => e instanceof NatsUserError && /^No stream on .* stores "x\d+x\.nowhere" \(line 1\)/.test(e.message));
  });

  it('says a stream does not exist and refuses a filter that is no pattern', async () => {
    await assert.rejects(exportAll({ stream: 'NO_SUCH_STREAM' }), { message: `Stream NO_SUCH_STREAM does not exist on ${nats.url}: create it first or check the name.` });
    await assert.rejects(exportAll({ stream: 'NO_SUCH_STREAM', filter: 'a b' }), /is not a subject filter/);
  });
});
