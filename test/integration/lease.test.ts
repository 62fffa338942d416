// The one consumer lease, on a real nats-server: what the editor creates for itself (a read's, an export's, a tail's,
// a count's consumer) is never listed as the user's, and is gone from the server as soon as its work is — after
// success, cancel and failure, on limits, work-queue and interest streams, in a tail in this thread or in a worker.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { AckPolicy, RetentionPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { listConsumers, listConsumersWithEditor } from '../../src/nats/explorer/consumerList';
import { exportMessages } from '../../src/nats/read/export';
import { ConsumerLease, isEditorConsumer } from '../../src/nats/read/lease';
import { readMessages } from '../../src/nats/read/reader';
import { countMatching } from '../../src/nats/streams/ops';
import { startTail } from '../../src/nats/tail/tail';
import type { TailSession } from '../../src/nats/tail/types';
import { startTailInWorker } from '../../src/nats/tail/workerTail';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';

const WORKER = path.resolve(__dirname, '../../src/nats/tail/tailWorker.js');
const enc = new TextEncoder();

async function consumerNames(jsm: JetStreamManager, stream: string): Promise<string[]> {
  const names: string[] = [];
  for await (const c of jsm.consumers.list(stream)) names.push(c.name);
  return names.sort();
}

const KINDS = [
  { name: 'a limits', retention: RetentionPolicy.Limits },
  { name: 'a work-queue', retention: RetentionPolicy.Workqueue },
  { name: 'an interest', retention: RetentionPolicy.Interest },
] as const;

describe('the consumer lease: the editor\'s own consumers are never the user\'s and never stay', function () {
  this.timeout(120_000);
  const nats = useNatsServer({ session: { reconnect: { timeWaitMs: 250 } } });
  let jsm: JetStreamManager;
  let n = 0;
  const tails: TailSession[] = [];
  before(async () => {
    jsm = await nats.jsm();
  });
  afterEach(async () => {
    await Promise.all(tails.splice(0).map(t => t.stop()));
  });

  /** A stream of `count` messages with the user's durable `worker` (which an interest stream needs to keep them). */
  async function streamWithWorker(retention: RetentionPolicy, count = 300): Promise<{ name: string; prefix: string }> {
    const name = `LEASE_${++n}`;
    const prefix = `l${n}`;
    await jsm.streams.add({ name, subjects: [`${prefix}.>`], retention });
    await jsm.consumers.add(name, { durable_name: 'worker', ack_policy: AckPolicy.Explicit });
    const js = nats.session.jetstream();
    for (let i = 0; i < count; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, count - i) }, (_, k) => js.publish(`${prefix}.e.${(i + k) % 7}`, enc.encode(`{"i":${i + k}}`))));
    }
    return { name, prefix };
  }

  it('tells this editor\'s consumers from the user\'s by name', () => {
    for (const name of ['cim_nats_read_0123456789ab_1_1', 'cim_nats_tail_0123456789ab_2_3', 'cim_nats_count_0123456789ab_4', 'cim_nats_export_0123456789ab_1', 'cim-nats-count-0123456789ab', 'cim_nats_smoke_0123456789ab']) {
      assert.equal(isEditorConsumer(name), true, name);
    }
    for (const name of ['worker', 'cim_nats_tail_orders', 'cim_nats_read_0123456789ab_x', 'my_cim_nats_read_0123456789ab_1', 'cim_nats-read_0123456789ab_1']) {
      assert.equal(isEditorConsumer(name), false, name);
    }
  });

  for (const kind of KINDS) {
    describe(`on ${kind.name} stream`, () => {
      it('a read, an export and a count leave only the user\'s consumer, after success', async () => {
        const { name, prefix } = await streamWithWorker(kind.retention);
        const read = await readMessages(nats.session, { stream: name, from: { last: 50 }, max: 50, filter: `${prefix}.e.3` });
        assert.ok(read.messages.length > 0);
        assert.deepEqual(await consumerNames(jsm, name), ['worker']);
        let lines = 0;
        assert.equal((await exportMessages(nats.session, { stream: name, write: () => void lines++ })).exported, 300);
        assert.deepEqual(await consumerNames(jsm, name), ['worker']);
        await countMatching(nats.session, name, `${prefix}.e.1`);
        assert.deepEqual(await consumerNames(jsm, name), ['worker']);
      });

      it('an export leaves no consumer of its own when cancelled or when its writer fails', async () => {
        const { name } = await streamWithWorker(kind.retention);
        const controller = new AbortController();
        await assert.rejects(
          exportMessages(nats.session, { stream: name, signal: controller.signal, write: () => undefined, onProgress: c => c === 50 && controller.abort(new Error('cancelled at 50')) }),
          /cancelled at 50/,
        );
        assert.deepEqual(await consumerNames(jsm, name), ['worker']);
        let written = 0;
        await assert.rejects(
          exportMessages(nats.session, { stream: name, write: () => {
            if (++written === 50) throw new Error('disk full');
          } }),
          /disk full/,
        );
        assert.deepEqual(await consumerNames(jsm, name), ['worker']);
      });

      it('a read that is cancelled before it starts leaves nothing', async () => {
        const { name } = await streamWithWorker(kind.retention, 20);
        await assert.rejects(readMessages(nats.session, { stream: name, from: { last: 5 }, max: 5, signal: AbortSignal.abort() }), (e: Error) => e.name === 'AbortError');
        assert.deepEqual(await consumerNames(jsm, name), ['worker']);
      });
    });
  }

  for (const retention of [RetentionPolicy.Limits, RetentionPolicy.Interest]) {
    it(`hides a running tail's consumer from the explorer and deletes it before stop() resolves (${retention} stream)`, async () => {
      const { name, prefix } = await streamWithWorker(retention, 20);
      const t = await startTail(nats.session, { pattern: `${prefix}.>`, from: { seq: 1 }, onBatch: () => undefined });
      tails.push(t);
      await eventually('the tail to show the stream\'s past', () => t.stats().shown === 20);
      const raw = await consumerNames(jsm, name);
      assert.equal(raw.length, 2, `the user's and the tail's consumer: ${raw.join(', ')}`);
      const tailConsumer = raw.find(c => c !== 'worker')!;
      assert.ok(tailConsumer.startsWith('cim_nats_tail_') && isEditorConsumer(tailConsumer), tailConsumer);
      assert.deepEqual((await listConsumers(nats.session, name)).map(c => c.name), ['worker'], 'the explorer lists only the user\'s consumer');
      const listing = await listConsumersWithEditor(nats.session, name);
      assert.deepEqual([listing.consumers.map(c => c.name), listing.editor.map(c => c.name)], [['worker'], [tailConsumer]]);
      assert.equal(listing.consumers.length + listing.editor.length, (await jsm.streams.info(name)).state.consumer_count, 'the stream\'s count is both together');
      await t.stop();
      assert.deepEqual(await consumerNames(jsm, name), ['worker'], 'right after stop() resolves');
    });
  }

  it('deletes a worker tail\'s consumer before its stop() resolves, and the explorer never lists it', async () => {
    const { name, prefix } = await streamWithWorker(RetentionPolicy.Limits, 20);
    const t = await startTailInWorker({ servers: nats.url }, { pattern: `${prefix}.>`, from: { seq: 5 } }, { workerFile: WORKER, onBatch: () => undefined });
    tails.push(t);
    await eventually('the worker tail to show the past', () => t.stats().shown === 16);
    assert.equal((await consumerNames(jsm, name)).filter(isEditorConsumer).length, 1, 'the tail has its consumer while it runs');
    assert.deepEqual((await listConsumers(nats.session, name)).map(c => c.name), ['worker']);
    await t.stop();
    assert.deepEqual(await consumerNames(jsm, name), ['worker'], 'right after stop() resolves');
  });

  it('deletes a consumer still being created when the lease closes, and sweeps the client\'s re-creations', async () => {
    const { name } = await streamWithWorker(RetentionPolicy.Limits, 10);
    const lease = new ConsumerLease(nats.session, name, 'read');
    const creating = lease.ordered({ opt_start_seq: 1 });
    const closing = lease.close();
    await Promise.allSettled([creating]);
    await closing;
    assert.deepEqual(await consumerNames(jsm, name), ['worker'], 'the consumer created while closing is gone too');
    await assert.rejects(lease.ordered({ opt_start_seq: 1 }), /lease on .* is closed/);

    const tailLease = new ConsumerLease(nats.session, name, 'tail');
    const { name: first } = await tailLease.ordered({ opt_start_seq: 1 });
    // What the client leaves when it re-creates an ordered consumer under the next name of the same prefix.
    await jsm.consumers.add(name, { name: `${first.replace(/_1$/, '_2')}`, ack_policy: AckPolicy.None, inactive_threshold: 30_000_000_000 });
    tailLease.noteRecreated();
    await tailLease.close();
    assert.deepEqual(await consumerNames(jsm, name), ['worker']);
  });

  it('a failing piece of work still closes its lease: nothing it made stays', async () => {
    const { name } = await streamWithWorker(RetentionPolicy.Interest, 10);
    const lease = new ConsumerLease(nats.session, name, 'read');
    await assert.rejects((async () => {
      try {
        await lease.ordered({ opt_start_seq: 1 });
        await lease.ordered({ opt_start_seq: 5 }, `l${n}.e.3`);
        await lease.probe({ ack_policy: AckPolicy.Explicit });
        throw new Error('the work failed');
      } finally {
        await lease.close();
      }
    })(), /the work failed/);
    assert.deepEqual(await consumerNames(jsm, name), ['worker']);
  });
});
