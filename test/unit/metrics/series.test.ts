// Bounded series: one ring per resolution, gaps kept, memory flat however long it polls.
import assert from 'node:assert/strict';
import { SeriesSet, seriesCsv } from '../../../src/core/metrics';

describe('metrics: bounded series', () => {
  it('keeps the last N samples of each series, oldest first', () => {
    const set = new SeriesSet({ fine: 3, bucket: 2, coarse: 2 });
    for (let i = 0; i < 5; i++) set.sample(i * 1000, [['a', i]]);
    assert.deepEqual(set.fine('a'), [{ t: 2000, v: 2 }, { t: 3000, v: 3 }, { t: 4000, v: 4 }]);
    assert.deepEqual(set.last('a'), { t: 4000, v: 4 });
  });

  it('gives a series that was not written in a sample a gap there', () => {
    const set = new SeriesSet({ fine: 4 });
    set.sample(0, [['a', 1], ['b', 1]]);
    set.sample(1000, [['a', 2]]);
    set.sample(2000, [['a', 3], ['b', null]]);
    assert.deepEqual(set.fine('b').map(p => p.v), [1, null, null]);
  });

  it('makes no series for values that were never there', () => {
    const set = new SeriesSet();
    set.sample(0, [['a', null]]);
    assert.equal(set.size, 0);
    assert.equal(set.has('a'), false);
  });

  it('a series made later has gaps before its first value', () => {
    const set = new SeriesSet({ fine: 4 });
    set.sample(0, [['a', 1]]);
    set.sample(1000, [['a', 1], ['b', 7]]);
    assert.deepEqual(set.fine('b'), [{ t: 0, v: null }, { t: 1000, v: 7 }]);
  });

  it('folds samples into bucket means for the hour, a bucket of gaps staying a gap', () => {
    const set = new SeriesSet({ fine: 2, bucket: 2, coarse: 3 });
    const values = [1, 3, null, null, 10, 20, 5, 5];
    values.forEach((v, i) => set.sample(i * 1000, [['a', v], ['keep', 0]]));
    assert.deepEqual(set.coarse('a'), [{ t: 2000, v: null }, { t: 4000, v: 15 }, { t: 6000, v: 5 }]);
  });

  it('a range reaching past the fine ring takes the older part from the buckets', () => {
    const set = new SeriesSet({ fine: 4, bucket: 2, coarse: 10 });
    for (let i = 0; i < 12; i++) set.sample(i * 1000, [['a', i]]);
    const pts = set.range('a', 11_000, 11_000);
    assert.deepEqual(pts.map(p => p.t), [0, 2000, 4000, 6000, 8000, 9000, 10_000, 11_000]);
    assert.deepEqual(pts.slice(0, 4).map(p => p.v), [0.5, 2.5, 4.5, 6.5]);
    assert.deepEqual(set.range('a', 2000, 11_000).map(p => p.v), [9, 10, 11]);
  });

  it('drops the series of a subject that went away', () => {
    const set = new SeriesSet();
    set.sample(0, [['s\0A\0in', 1], ['s\0AB\0in', 1], ['s\0B\0in', 1]]);
    set.drop('s\0A\0');
    assert.deepEqual(set.keys().sort(), ['s\0AB\0in', 's\0B\0in']);
  });

  it('refuses a ring of no size', () => {
    assert.throws(() => new SeriesSet({ fine: 0 }), /fine must be a whole number above 0/);
  });
});

describe('metrics: CSV export', () => {
  it('has one row per sample time, one column per series, empty cells for gaps', () => {
    const csv = seriesCsv([
      { name: 'in/s', points: [{ t: 0, v: 1.5 }, { t: 2000, v: null }] },
      { name: 'lag, ms', points: [{ t: 2000, v: 12 }] },
    ]);
    assert.equal(csv, 'time,in/s,"lag, ms"\n1970-01-01T00:00:00.000Z,1.5,\n1970-01-01T00:00:02.000Z,,12\n');
  });

  it('keeps a name a spreadsheet would run as a formula from running', () => {
    assert.match(seriesCsv([{ name: '=cmd()', points: [] }]), /^time,'=cmd\(\)\n$/);
  });
});
