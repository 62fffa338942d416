// Rates, lag in time, trends and stalls: the arithmetic behind the dashboards and the tree's health badges.
import assert from 'node:assert/strict';
import { counterRate, growingFor, inRate, lagMs, removedRate, stallState, trend, type Point } from '../../../src/core/metrics';

const pts = (values: (number | null)[], step = 2000): Point[] => values.map((v, i) => ({ t: 1_000_000 + i * step, v }));

describe('metrics: rates from counters', () => {
  it('is the counter\'s growth per second between two readings', () => {
    assert.equal(counterRate({ t: 0, value: 100 }, { t: 2000, value: 160 }), 30);
  });

  it('has no rate for the first reading or readings at the same time', () => {
    assert.equal(counterRate(undefined, { t: 2000, value: 160 }), null);
    assert.equal(counterRate({ t: 2000, value: 100 }, { t: 2000, value: 160 }), null);
  });

  it('makes a gap, never a negative rate, when a counter went down (a consumer recreated, a server restarted)', () => {
    assert.equal(counterRate({ t: 0, value: 5000 }, { t: 2000, value: 12 }), null);
  });

  it('makes a gap when the counter belongs to another owner, even when its value is higher', () => {
    assert.equal(counterRate({ t: 0, value: 10, epoch: '2026-12-08T01:00:00Z' }, { t: 2000, value: 50, epoch: '2026-12-08T01:00:01Z' }), null);
    assert.equal(counterRate({ t: 0, value: 10, epoch: 'a' }, { t: 2000, value: 50, epoch: 'a' }), 20);
  });

  it('counts messages in from the last sequence, so a purge in the middle does not lower it', () => {
    const before = { t: 0, lastSeq: 1000, messages: 1000 };
    const purged = { t: 2000, lastSeq: 1040, messages: 0 };
    assert.equal(inRate(before, purged), 20);
    // the purge shows as removals: 1,040 removed in 2 s
    assert.equal(removedRate(before, purged), 520);
  });

  it('counts removals as what came in minus what the stored count grew by (a limit dropping the oldest)', () => {
    assert.equal(removedRate({ t: 0, lastSeq: 100, messages: 100 }, { t: 1000, lastSeq: 110, messages: 100 }), 10);
    assert.equal(removedRate({ t: 0, lastSeq: 100, messages: 90 }, { t: 1000, lastSeq: 110, messages: 100 }), 0);
  });

  it('makes a gap for a memory stream after a server restart (its sequences start over) and for a stream made again', () => {
    const before = { t: 0, lastSeq: 5000, messages: 5000, epoch: 'x' };
    assert.equal(inRate(before, { t: 2000, lastSeq: 3, messages: 3, epoch: 'x' }), null);
    assert.equal(removedRate(before, { t: 2000, lastSeq: 3, messages: 3, epoch: 'x' }), null);
    assert.equal(inRate(before, { t: 2000, lastSeq: 6000, messages: 6000, epoch: 'y' }), null);
  });

  it('makes a gap rather than negative removals when more is stored than came in', () => {
    assert.equal(removedRate({ t: 0, lastSeq: 100, messages: 10 }, { t: 1000, lastSeq: 105, messages: 50 }), null);
  });
});

describe('metrics: lag in time', () => {
  it('is the age of the oldest unacknowledged message', () => {
    assert.equal(lagMs(10_000, 4, 7_500), 2_500);
  });

  it('is 0 when nothing is outstanding, and unknown when outstanding but unread', () => {
    assert.equal(lagMs(10_000, 0, undefined), 0);
    assert.equal(lagMs(10_000, 3, undefined), null);
  });

  it('is never negative when the server\'s clock runs ahead', () => {
    assert.equal(lagMs(10_000, 1, 10_400), 0);
  });
});

describe('metrics: trend', () => {
  it('is growing, shrinking or steady over the last samples', () => {
    assert.equal(trend(pts([1, 2, 3, 4, 5, 6])).trend, 'growing');
    assert.equal(trend(pts([60, 50, 40, 30])).trend, 'shrinking');
    assert.equal(trend(pts([100, 100, 100, 100])).trend, 'steady');
  });

  it('calls a change within the tolerance steady (absolute or relative to the values)', () => {
    assert.equal(trend(pts([1000, 1003, 998, 1004, 1001])).trend, 'steady');
    assert.equal(trend(pts([0, 1, 0, 2, 1]), { tolerance: 5 }).trend, 'steady');
    assert.equal(trend(pts([0, 1, 0, 2, 1]), { tolerance: 0, relativeTolerance: 0 }).trend, 'growing');
  });

  it('looks only at the last N samples, skipping gaps', () => {
    assert.equal(trend(pts([100, 90, 80, 70, 1, 2, 3, 4]), { samples: 4 }).trend, 'growing');
    const r = trend(pts([1, null, 2, null, 3, 4]), { samples: 4 });
    assert.equal(r.trend, 'growing');
    assert.equal(r.samples, 4);
  });

  it('is unknown with fewer than three values', () => {
    assert.equal(trend(pts([1, null, 5])).trend, 'unknown');
  });

  it('follows the line through all values, not one odd sample', () => {
    assert.equal(trend(pts([10, 20, 30, 40, 0, 60, 70, 80, 90, 100])).trend, 'growing');
  });

  it('counts the polls in a row that grew, up to the last (a gap or a fall ends the run)', () => {
    assert.equal(growingFor(pts([5, 4, 6, 7, 9])), 3);
    assert.equal(growingFor(pts([1, 2, 3, null, 4])), 0);
    assert.equal(growingFor(pts([1, 2, 3, 3])), 0);
    assert.equal(growingFor(pts([])), 0);
  });
});

describe('metrics: stalled consumers', () => {
  const r = (t: number, pending: number, ackPending: number, ackFloor: number, epoch?: string) => ({ t, pending, ackPending, ackFloor, ...(epoch ? { epoch } : {}) });

  it('is stalled when messages wait and the ack floor has not moved for the configured time', () => {
    const s = stallState([r(0, 5, 0, 10), r(30_000, 8, 0, 10), r(60_000, 12, 0, 10)], 60_000);
    assert.deepEqual(s, { stalled: true, since: 0, waiting: 12 });
  });

  it('is not stalled before that time, nor when the floor moves, nor with nothing waiting', () => {
    assert.equal(stallState([r(0, 5, 0, 10), r(30_000, 8, 0, 10)], 60_000).stalled, false);
    assert.equal(stallState([r(0, 5, 0, 10), r(30_000, 8, 0, 11), r(90_000, 8, 0, 11)], 60_000).stalled, true);
    assert.equal(stallState([r(0, 5, 0, 10), r(30_000, 8, 0, 11), r(60_000, 8, 0, 11)], 60_000).since, 30_000);
    assert.equal(stallState([r(0, 0, 0, 10), r(90_000, 0, 0, 10)], 60_000).stalled, false);
  });

  it('counts delivered but unacknowledged messages as waiting (acks stopped)', () => {
    assert.equal(stallState([r(0, 0, 3, 10), r(70_000, 0, 3, 10)], 60_000).stalled, true);
  });

  it('starts over for a consumer made again under the same name', () => {
    assert.equal(stallState([r(0, 5, 0, 0, 'a'), r(70_000, 5, 0, 0, 'b')], 60_000).stalled, false);
  });

  it('starts over when a reading in between had nothing waiting', () => {
    assert.equal(stallState([r(0, 5, 0, 10), r(30_000, 0, 0, 10), r(70_000, 5, 0, 10)], 60_000).stalled, false);
  });
});
