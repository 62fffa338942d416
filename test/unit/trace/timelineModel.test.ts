import * as assert from 'node:assert/strict';
import { aggregateHistory, buildCausationForest, historyTimeline, traceTimeline, type TimelineModel } from '../../../src/core/trace';
import { C, CONVERSATION, event, stored } from './helpers';

const conversation = CONVERSATION;

/** A node as the timeline shows it: lane, label, message id, latency, flags' kinds and severities. */
function rows(m: TimelineModel): string[] {
  return m.nodes.map((n) => `${n.lane} ${n.label} ${n.messageId}${n.latencyMs === null ? '' : ` +${n.latencyMs}`}${n.flags.map((f) => ` [${f.kind}:${f.severity}]`).join('')}`);
}

function edges(m: TimelineModel): string[] {
  const id = (nodeId: string) => m.nodes.find((n) => n.id === nodeId)!.messageId ?? m.nodes.find((n) => n.id === nodeId)!.label;
  return m.edges.map((e) => `${id(e.from)} -> ${id(e.to)}`);
}

describe('timeline model', () => {
  const window = { since: new Date('2026-12-08T09:45:00Z'), until: new Date('2026-12-08T10:15:00Z') };
  const model = traceTimeline(buildCausationForest(conversation, { correlationId: C, window }), { correlationId: C, window });

  it('a trace: nodes in time order in their category lanes, labelled by envelope type, with latency and flags', () => {
    assert.equal(model.title, 'Trace k-1');
    assert.deepEqual(rows(model), [
      'command PlaceOrder k-1',
      'event OrderPlaced e-1 +1250',
      'event OrderPlaced e-2 +2000',
      'saga Fulfilment s-1 +2250',
      'command PlaceOrder k-2 +500 [unanswered-command:warning]',
      'event OrderPlaced e-3 [broken-link:error]',
      'event placed.o-1 o-1 [orphan:warning]',
    ]);
    assert.deepEqual(model.lanes.category.map((l) => l.label), ['Commands', 'Domain events', 'Sagas']);
    assert.deepEqual(model.lanes.stream.map((l) => l.id), ['COMMANDS', 'EVENTS', 'SAGAS']);
    assert.deepEqual(model.window, { since: '2026-12-08T09:45:00.000Z', until: '2026-12-08T10:15:00.000Z' });
  });

  it('a trace: edges from cause to effect for the branches; a broken link and an orphan start on their own', () => {
    assert.deepEqual(edges(model).sort(), ['e-1 -> s-1', 'k-1 -> e-1', 'k-1 -> e-2', 's-1 -> k-2']);
    const broken = model.nodes.find((n) => n.messageId === 'e-3')!;
    assert.equal(broken.causationId, 'k-3');
    assert.match(broken.flags[0]!.message, /^Its cause k-3 was not found: it may have been stored before the window/);
    assert.equal(model.edges.some((e) => e.to === broken.id), false);
    assert.deepEqual(model.nodes.map((n) => n.depth), [0, 1, 1, 2, 3, 0, 0]);
  });

  it('a trace: each node keeps the stream and sequence the host opens, and its summary says what to look at', () => {
    const k1 = model.nodes[0]!;
    assert.deepEqual([k1.ref, k1.subject, k1.time], [{ stream: 'COMMANDS', seq: 5 }, 'dev.orders.order.cmd.place.k-1', '2026-12-08T10:00:00.000Z']);
    assert.deepEqual(model.summary, ['7 messages with correlation id k-1: 1 whose cause was not found, 1 with no cause, 1 command no event followed.']);
    assert.equal(new Set(model.nodes.map((n) => n.id)).size, model.nodes.length, 'node ids are unique');
  });

  it('a message with no stream or sequence has no ref, and sits in the "(no stream)" lane by stream', () => {
    const core = { ...event('x-1', 1, 1, 'x', 'x'), stream: undefined, seq: undefined };
    const m = traceTimeline(buildCausationForest([core], { correlationId: 'x' }), { correlationId: 'x' });
    assert.deepEqual([m.nodes[0]!.ref, m.nodes[0]!.streamLane, m.window], [null, '(no stream)', null]);
  });

  it('is plain JSON: it survives a round trip unchanged', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(model)), model);
  });

  describe('history', () => {
    const v = (version: number, seq: number) => event(`e-${seq}`, seq, seq, 'c', 'c', { aggregate_id: 'o-1', version });
    const snapshot = (version: number) => stored({ at: 0, seq: 1, subject: 'dev.snapshot.orders.order.o-1', stream: 'SNAPSHOTS', body: { aggregate_id: 'o-1', aggregate_type: 'order', version, state: {}, metadata: { correlation_id: 'c', source: 't', message_id: 's-1' } } });

    it('a snapshot first in its own lane, then the events joined in version order; a gap flagged where it happens', () => {
      const m = historyTimeline(aggregateHistory([v(4, 10), v(5, 20), v(7, 30)], snapshot(3)), { domain: 'orders', aggregate: 'order', id: 'o-1' });
      assert.equal(m.title, 'History of orders order o-1');
      assert.deepEqual(rows(m), [
        'snapshot snapshot v3 null',
        'events OrderPlaced v4 e-10 +10000',
        'events OrderPlaced v5 e-20 +10000',
        'events OrderPlaced v7 e-30 +10000 [gap:error]',
      ]);
      assert.deepEqual(m.lanes.category.map((l) => l.id), ['snapshot', 'events']);
      assert.deepEqual(m.lanes.stream.map((l) => l.id), ['SNAPSHOTS', 'EVENTS']);
      assert.deepEqual(m.edges.map((e) => `${e.from}->${e.to}:${e.kind}`), ['n0->n1:follows', 'n1->n2:follows', 'n2->n3:follows']);
      assert.equal(m.nodes[3]!.flags[0]!.message, "Version 7 follows 5: version 6 is missing (never stored, or removed by the stream's limits).");
      assert.deepEqual(m.summary, ['3 events after a snapshot, latest version 7: 1 gap.']);
    });

    it('events the snapshot already holds are not joined to it', () => {
      const m = historyTimeline(aggregateHistory([v(2, 10), v(3, 20), v(4, 30)], snapshot(3)), { domain: 'orders', aggregate: 'order', id: 'o-1' });
      assert.deepEqual(m.edges.map((e) => `${e.from}->${e.to}`), ['n1->n2', 'n2->n3']);
    });

    it('a snapshot ahead of the events is an error on the snapshot', () => {
      const m = historyTimeline(aggregateHistory([v(1, 10)], snapshot(5)), { domain: 'orders', aggregate: 'order', id: 'o-1' });
      assert.deepEqual(m.nodes[0]!.flags.map((f) => `${f.kind}:${f.severity}`), ['snapshot-ahead:error']);
    });
  });
});
