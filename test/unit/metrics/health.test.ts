// Limits, event-type rates and the health a connection's history gives the tree: no leader, near limits, stalled,
// falling behind; counters reset by a purge, a recreated consumer or a restarted server never give negative rates.
import assert from 'node:assert/strict';
import {
  MetricsHistory, consumerKey, eventTypeRates, limitSentence, nearLimits, streamKey,
} from '../../../src/core/metrics';
import { consumer, sample, stream } from './samples';

describe('metrics: near limits', () => {
  const base = { name: 'ORDERS', messages: 950, bytes: 100, maxMsgs: 1000, maxBytes: -1, maxAgeNs: 0, discard: 'old' as const };

  it('names the limits used to the threshold or beyond', () => {
    assert.deepEqual(nearLimits(base, 0).map(u => u.limit), ['messages']);
    assert.deepEqual(nearLimits(base, 0, 0.96), []);
    assert.deepEqual(nearLimits({ ...base, bytes: 95, maxBytes: 100 }, 0).map(u => u.limit), ['messages', 'bytes']);
  });

  it('ignores limits that are not set (-1 or 0)', () => {
    assert.deepEqual(nearLimits({ ...base, maxMsgs: -1 }, 0), []);
    assert.deepEqual(nearLimits({ ...base, maxMsgs: 0 }, 0), []);
  });

  it('measures age by the oldest stored message against max_age', () => {
    const hour = 3_600_000;
    const uses = nearLimits({ ...base, maxMsgs: -1, maxAgeNs: hour * 1e6, firstStoredAt: 0 }, 0.95 * hour);
    assert.equal(uses[0]?.limit, 'age');
    assert.equal(Math.round(uses[0]!.ratio * 100), 95);
  });

  it('says what the stream does at the limit: drop the oldest, or refuse publishes', () => {
    const [use] = nearLimits(base, 0);
    assert.equal(limitSentence(base, use!), 'ORDERS is at 95 % of its messages limit (950 of max_msgs 1,000): at the limit the oldest messages are dropped (discard old).');
    assert.match(limitSentence({ ...base, discard: 'new' }, use!), /new publishes are refused \(discard new\)/);
  });
});

describe('metrics: rates by event type', () => {
  const counts = (placed: number, shipped: number, other = 0) => ({
    types: [
      { aggregate: 'order', event: 'placed', messages: placed, declared: true },
      { aggregate: 'order', event: 'shipped', messages: shipped, declared: true },
    ],
    other, total: placed + shipped + other, requests: 3,
  });

  it('is each type\'s growth per second between two counts', () => {
    const rates = eventTypeRates({ t: 0, counts: counts(10, 4) }, { t: 2000, counts: counts(30, 8, 2) });
    assert.deepEqual(rates.map(r => [r.key, r.rate]), [['order.placed', 10], ['order.shipped', 2], ['other', 1]]);
  });

  it('has no rate for a type first found now, nor for a count that went down (a purge)', () => {
    const prev = { t: 0, counts: { ...counts(10, 4), types: [counts(10, 4).types[0]!] } };
    const rates = eventTypeRates(prev, { t: 2000, counts: counts(2, 8) });
    assert.deepEqual(rates.map(r => r.rate), [null, null, 0]);
  });
});

describe('metrics: a connection\'s history and health', () => {
  it('gives a stream\'s in and removed rates, and a gap (not a negative rate) across a purge and a recreation', () => {
    const h = new MetricsHistory();
    h.add(sample(0, [stream({ lastSeq: 100, messages: 100 })]));
    h.add(sample(2000, [stream({ lastSeq: 120, messages: 0 })]));
    h.add(sample(4000, [stream({ lastSeq: 130, messages: 10 })]));
    h.add(sample(6000, [stream({ created: 'c2', lastSeq: 4, messages: 4 })]));
    h.add(sample(8000, [stream({ created: 'c2', lastSeq: 8, messages: 8 })]));
    assert.deepEqual(h.series.fine(streamKey('ORDERS', 'in')).map(p => p.v), [null, 10, 5, null, 2]);
    assert.deepEqual(h.series.fine(streamKey('ORDERS', 'removed')).map(p => p.v), [null, 60, 0, null, 0]);
  });

  it('gives a consumer\'s delivered and acked rates with a gap when it was made again', () => {
    const h = new MetricsHistory();
    h.add(sample(0, [stream()], [consumer({ deliveredCount: 100, ackedCount: 90 })]));
    h.add(sample(1000, [stream()], [consumer({ deliveredCount: 110, ackedCount: 95 })]));
    h.add(sample(2000, [stream()], [consumer({ created: 'k2', deliveredCount: 3, ackedCount: 1 })]));
    assert.deepEqual(h.series.fine(consumerKey('ORDERS', 'billing', 'delivered')).map(p => p.v), [null, 10, null]);
    assert.deepEqual(h.series.fine(consumerKey('ORDERS', 'billing', 'acked')).map(p => p.v), [null, 5, null]);
  });

  it('reports a consumer stalled once its ack floor stood still with messages waiting for the configured time', () => {
    const h = new MetricsHistory();
    const settings = { stallSeconds: 10, growingIntervals: 0, limitThreshold: 0.9 };
    for (let t = 0; t <= 8000; t += 2000) h.add(sample(t, [stream()], [consumer({ pending: 5, ackFloor: 40 })]));
    assert.deepEqual(h.health(settings).problems, []);
    h.add(sample(10_000, [stream()], [consumer({ pending: 5, ackFloor: 40 })]));
    const [p] = h.health(settings).problems;
    assert.equal(p?.kind, 'stalled');
    assert.equal(p?.sentence, 'billing on ORDERS is stalled: 5 messages wait and its ack floor has stayed at 40 for 10 s.');
    // acks move again: no longer stalled
    h.add(sample(12_000, [stream()], [consumer({ pending: 4, ackFloor: 41 })]));
    assert.deepEqual(h.health(settings).problems, []);
  });

  it('does not call a recreated consumer stalled for its predecessor\'s time', () => {
    const h = new MetricsHistory();
    const settings = { stallSeconds: 10, growingIntervals: 0, limitThreshold: 0.9 };
    h.add(sample(0, [stream()], [consumer({ pending: 5 })]));
    h.add(sample(12_000, [stream()], [consumer({ created: 'k2', pending: 5 })]));
    assert.deepEqual(h.health(settings).problems, []);
  });

  it('reports a consumer falling behind when what waits for it grew on N polls in a row', () => {
    const h = new MetricsHistory();
    const settings = { stallSeconds: 3600, growingIntervals: 3, limitThreshold: 0.9 };
    [10, 20, 30].forEach((pending, i) => h.add(sample(i * 2000, [stream()], [consumer({ pending, ackFloor: i })])));
    assert.deepEqual(h.health(settings).problems, []);
    h.add(sample(6000, [stream()], [consumer({ pending: 45, ackFloor: 3 })]));
    assert.match(h.health(settings).problems[0]?.sentence ?? '', /^billing on ORDERS is falling behind: the messages waiting for it grew on each of the last 3 polls, to 45\.$/);
  });

  it('tells lag in time and its trend only for consumers whose oldest message was read', () => {
    const h = new MetricsHistory();
    [0, 2000, 4000, 6000].forEach((t, i) => h.add(sample(t, [stream()], [
      consumer({ pending: 10 * (i + 1), ackFloor: 1, lagRead: true, oldestUnackedAt: -5000 }),
      consumer({ name: 'audit', pending: 3 }),
    ])));
    const report = h.health();
    const billing = report.consumers.get(consumerKey('ORDERS', 'billing'))!;
    assert.equal(billing.lag, 11_000);
    assert.equal(billing.lagTrend?.trend, 'growing');
    assert.equal(report.consumers.get(consumerKey('ORDERS', 'audit'))!.lag, undefined);
    assert.equal(h.series.has(consumerKey('ORDERS', 'audit', 'lag')), false);
  });

  it('reports a stream without a leader and a stream near its limits', () => {
    const h = new MetricsHistory();
    h.add(sample(0, [
      stream({ name: 'A', unavailable: 'no leader for A yet: the cluster is electing one' }),
      stream({ name: 'B', messages: 99, maxMsgs: 100, discard: 'new' }),
      stream({ name: 'C', messages: 5, maxMsgs: 100 }),
    ]));
    const r = h.health();
    assert.deepEqual(r.problems.map(p => [p.stream, p.kind]), [['A', 'noLeader'], ['B', 'nearLimit']]);
    assert.equal(r.problems[0]?.sentence, 'No leader for A yet: the cluster is electing one.');
    assert.deepEqual(r.streams.get('C')?.problems, []);
  });

  it('lets the history of streams and consumers that went away go', () => {
    const h = new MetricsHistory();
    h.add(sample(0, [stream(), stream({ name: 'OLD' })], [consumer(), consumer({ name: 'gone' })]));
    h.add(sample(2000, [stream()], [consumer()]));
    assert.equal(h.series.keys().some(k => k.includes('OLD') || k.includes('gone')), false);
    assert.equal(h.series.has(streamKey('ORDERS', 'messages')), true);
  });
});
