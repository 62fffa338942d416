import * as assert from 'node:assert/strict';
import { aggregateHistory, type AggregateHistory } from '../../../src/core/trace';
import { event, stored } from './helpers';

const C = 'c';

/** One event of order o-1 at `version`, stored at stream sequence `seq`. */
function v(version: number, seq: number) {
  return event(`e-${seq}`, seq, seq, C, C, { aggregate_id: 'o-1', version });
}

function snapshotAt(version: number) {
  return stored({ at: 0, seq: 1, subject: 'dev.snapshot.orders.order.o-1', stream: 'SNAPSHOTS', body: { aggregate_id: 'o-1', aggregate_type: 'order', version, state: {}, metadata: { correlation_id: C, causation_id: C, source: 't', message_id: 's-1' } } });
}

/** Each event as "seq:version" with its flags, as the timeline shows them. */
function lines(h: AggregateHistory): string[] {
  return h.events.map((e) => `${e.message.seq}:${e.version ?? '-'}${e.flags.map((f) => ` [${f.kind}] ${f.message}`).join('')}`);
}

describe('aggregate history', () => {
  it('orders the events by stream sequence; a clean history is consistent', () => {
    const h = aggregateHistory([v(3, 30), v(1, 10), v(2, 20)]);
    assert.deepEqual(lines(h), ['10:1', '20:2', '30:3']);
    assert.deepEqual([h.consistent, h.latestVersion], [true, 3]);
  });

  it('flags a gap on the event after it, naming the missing versions', () => {
    const h = aggregateHistory([v(1, 10), v(2, 20), v(5, 30), v(6, 40)]);
    assert.deepEqual(lines(h), [
      '10:1',
      '20:2',
      "30:5 [gap] Version 5 follows 2: versions 3–4 are missing (never stored, or removed by the stream's limits).",
      '40:6',
    ]);
    assert.deepEqual([h.gaps, h.consistent], [1, false]);
  });

  it('a history that does not start at version 1 and has no snapshot has a gap at its start', () => {
    assert.deepEqual(lines(aggregateHistory([v(2, 10)])), ["10:2 [gap] Version 2 is the first: version 1 is missing (never stored, or removed by the stream's limits)."]);
  });

  it('flags a repeat and a version going back where they happen', () => {
    const h = aggregateHistory([v(1, 10), v(2, 20), v(2, 30), v(1, 40), v(3, 50)]);
    assert.deepEqual(lines(h), [
      '10:1',
      '20:2',
      '30:2 [repeat] Version 2 again: two events claim the same version.',
      '40:1 [back] Version 1 comes after version 2: the version went back.',
      '50:3',
    ]);
    assert.deepEqual([h.gaps, h.repeats, h.backwards], [0, 1, 1]);
  });

  it('puts the snapshot first; events folded into it may be gone, a gap after it is not', () => {
    const kept = aggregateHistory([v(5, 50), v(6, 60)], snapshotAt(4));
    assert.equal(kept.snapshot?.version, 4);
    assert.equal(kept.snapshot?.message.stream, 'SNAPSHOTS');
    assert.deepEqual([lines(kept), kept.consistent, kept.latestVersion], [['50:5', '60:6'], true, 6]);
    const folded = aggregateHistory([v(3, 30), v(4, 40), v(5, 50)], snapshotAt(4));
    assert.equal(folded.consistent, true, 'events before the snapshot may start anywhere');
    const gap = aggregateHistory([v(7, 70)], snapshotAt(4));
    assert.deepEqual(lines(gap), ["70:7 [gap] Version 7 follows the snapshot's version 4: versions 5–6 are missing (never stored, or removed by the stream's limits)."]);
  });

  it('a snapshot ahead of the last event says later events are missing', () => {
    const h = aggregateHistory([v(1, 10), v(2, 20)], snapshotAt(5));
    assert.deepEqual(h.snapshot?.flags.map((f) => f.message), ['The snapshot is at version 5 but the events end at version 2: later events are missing.']);
    assert.equal(h.latestVersion, 5);
  });

  it('a message without a version is flagged and does not break the check around it', () => {
    const h = aggregateHistory([v(1, 10), stored({ at: 0, seq: 15, subject: 'dev.orders.order.x.o-1', body: 'not json' }), v(2, 20)]);
    assert.deepEqual(lines(h), ['10:1', '15:- [no-version] This message has no version in its envelope, so the versions around it cannot be checked.', '20:2']);
    assert.equal(h.consistent, true);
  });
});
