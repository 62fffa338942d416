import * as assert from 'node:assert/strict';
import { parseTimeRange } from '../../../src/core/find';

const NOW = new Date('2026-12-08T12:00:00.000Z');

function range(since?: string, until?: string): string {
  const r = parseTimeRange({ since, until }, NOW);
  if (!r.ok) return `${r.field}: ${r.problem}`;
  return `${r.range.since?.toISOString() ?? '-'} .. ${r.range.until?.toISOString() ?? '-'}`;
}

describe('parseTimeRange', () => {
  it('reads since and until as how long ago or an ISO time', () => {
    assert.equal(range('10m'), '2026-12-08T11:50:00.000Z .. -');
    assert.equal(range('1d', '2h'), '2026-12-07T12:00:00.000Z .. 2026-12-08T10:00:00.000Z');
    assert.equal(range('2026-12-01T10:00:00Z', '2026-12-01T11:00:00Z'), '2026-12-01T10:00:00.000Z .. 2026-12-01T11:00:00.000Z');
  });

  it('a blank input is no bound', () => {
    assert.equal(range(), '- .. -');
    assert.equal(range(' ', ''), '- .. -');
    assert.equal(range(undefined, '2h'), '- .. 2026-12-08T10:00:00.000Z');
  });

  it('until may lie in the future; since may not', () => {
    assert.equal(range('1h', '2026-12-09T00:00:00Z'), '2026-12-08T11:00:00.000Z .. 2026-12-09T00:00:00.000Z');
    assert.match(range('2026-12-09T00:00:00Z'), /^since: 2026-12-09T00:00:00.000Z is in the future/);
  });

  it('says in one sentence, with the same words as View Messages, which input is no time', () => {
    assert.equal(range('yesterday'), 'since: "yesterday" is not a time: write how long ago (30s, 10m, 2h, 1d) or an ISO time (2026-12-01T09:30:00Z).');
    assert.equal(range('1h', 'soon'), 'until: "soon" is not a time: write how long ago (30s, 10m, 2h, 1d) or an ISO time (2026-12-01T09:30:00Z).');
    assert.equal(range('10x'), 'since: "x" in "10x" is not a unit of time: use s, m, h, d or w (10m, 2h, 1d).');
  });

  it('refuses an until that is not after since', () => {
    assert.equal(range('1h', '2h'), 'until: Until (2026-12-08T10:00:00.000Z) is not after since (2026-12-08T11:00:00.000Z): no message lies between them.');
  });
});
