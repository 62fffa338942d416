import * as assert from 'node:assert/strict';
import { parseSince } from '../../../src/core/message';

const NOW = new Date('2026-12-01T12:00:00.000Z');

function since(text: string): string {
  const r = parseSince(text, NOW);
  return r.ok ? r.since.toISOString() : r.problem;
}

describe('parseSince', () => {
  it('reads how long ago: 10m, 2h, 1d, 1h30m, 90 s, 1w', () => {
    assert.equal(since('10m'), '2026-12-01T11:50:00.000Z');
    assert.equal(since('2h'), '2026-12-01T10:00:00.000Z');
    assert.equal(since('1d'), '2026-11-30T12:00:00.000Z');
    assert.equal(since('1h30m'), '2026-12-01T10:30:00.000Z');
    assert.equal(since(' 90 s '), '2026-12-01T11:58:30.000Z');
    assert.equal(since('1w'), '2026-11-24T12:00:00.000Z');
    assert.equal(since('2 hours'), '2026-12-01T10:00:00.000Z');
  });

  it('reads an ISO time, with a zone or as UTC midnight for a date', () => {
    assert.equal(since('2026-12-01T09:30:00Z'), '2026-12-01T09:30:00.000Z');
    assert.equal(since('2026-12-01T10:30:00+01:00'), '2026-12-01T09:30:00.000Z');
    assert.equal(since('2026-11-30'), '2026-11-30T00:00:00.000Z');
  });

  it('says what to write instead of something that is no time', () => {
    assert.equal(since(''), 'Say since when: write how long ago (30s, 10m, 2h, 1d) or an ISO time (2026-12-01T09:30:00Z).');
    assert.equal(since('yesterday'), '"yesterday" is not a time: write how long ago (30s, 10m, 2h, 1d) or an ISO time (2026-12-01T09:30:00Z).');
    assert.equal(since('10x'), '"x" in "10x" is not a unit of time: use s, m, h, d or w (10m, 2h, 1d).');
    assert.equal(since('2026-02-30'), '"2026-02-30" is not a valid date: check the month, day and time.');
    assert.equal(since('2026-13-01'), '"2026-13-01" is not a valid date: check the month, day and time.');
    assert.equal(since('2027-01-01T00:00:00Z'), '2027-01-01T00:00:00.000Z is in the future: no message has been stored since then yet.');
  });
});
