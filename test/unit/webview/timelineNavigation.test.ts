import * as assert from 'node:assert/strict';
import { aggregateHistory, buildCausationForest, historyTimeline, traceTimeline, type TimelineModel } from '../../../src/core/trace';
import { describe as describeNode, move, moveForKey, timelineLayout, type TimelineMove } from '../../../src/core/webview/timelineNavigation';
import { command, event, saga } from '../trace/helpers';

const C = 'k-1';
// k-1 → e-1 → s-1, k-1 → e-2 (a branch), and e-3 whose cause is missing
const model = traceTimeline(buildCausationForest([
  command('k-1', 0, 5, C, 'k-1'),
  event('e-1', 1.25, 10, C, 'k-1'),
  event('e-2', 2, 11, C, 'k-1'),
  saga('s-1', 3.5, 3, C, 'e-1'),
  event('e-3', 5, 12, C, 'k-3'),
], { correlationId: C }), { correlationId: C });

/** Follows `moves` from the node with message id `from`; each step is the message id landed on or the sentence. */
function walk(m: TimelineModel, from: string, moves: TimelineMove[]): string[] {
  let at = m.nodes.find((n) => n.messageId === from)!.id;
  return moves.map((how) => {
    const r = move(m, at, how);
    if ('none' in r) return r.none;
    at = r.nodeId;
    return m.nodes.find((n) => n.id === at)!.messageId!;
  });
}

describe('timeline navigation', () => {
  it('keys: ←/→ along time, ↑ to the cause, ↓ to the first effect, Shift+↑/↓ between effects of one cause', () => {
    assert.deepEqual(
      ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].map((k) => moveForKey(k, false)),
      ['previous', 'next', 'cause', 'effect', 'first', 'last'],
    );
    assert.deepEqual([moveForKey('ArrowUp', true), moveForKey('ArrowDown', true), moveForKey('x', false)], ['previousSibling', 'nextSibling', undefined]);
  });

  it('moves along time and along causation, and says why when it cannot', () => {
    assert.deepEqual(walk(model, 'k-1', ['previous', 'next', 'next', 'next', 'next', 'next']), ['This is the first message.', 'e-1', 'e-2', 's-1', 'e-3', 'This is the last message.']);
    assert.deepEqual(walk(model, 'k-1', ['effect', 'effect', 'cause', 'nextSibling', 'nextSibling', 'previousSibling', 'cause']), ['e-1', 's-1', 'e-1', 'e-2', 'No later effect of the same cause.', 'e-1', 'k-1']);
    assert.deepEqual(walk(model, 'e-3', ['cause', 'effect']), ['OrderPlaced (EVENTS #12) has no cause in this timeline.', 'OrderPlaced (EVENTS #12) has no effect in this timeline.']);
  });

  it('a node read aloud says what, when, where and how long after its cause', () => {
    assert.equal(describeNode(model.nodes[1]!), 'OrderPlaced at 2026-12-08T10:00:01.250Z, EVENTS #10, 1.25 s after its cause');
  });

  it('with nothing selected a move starts at the first message (the last for End)', () => {
    assert.deepEqual(move(model, null, 'next'), { nodeId: model.nodes[0]!.id });
    assert.deepEqual(move(model, null, 'last'), { nodeId: model.nodes.at(-1)!.id });
  });

  it('lays out one column per message in time order with the time between them, one row per lane of the mode', () => {
    const byCategory = timelineLayout(model, 'category');
    assert.deepEqual(byCategory.columns.map((c) => `${c.clock} ${c.gap}`), ['10:00:00.000 ', '10:00:01.250 +1.25 s', '10:00:02.000 +750 ms', '10:00:03.500 +1.50 s', '10:00:05.000 +1.50 s']);
    assert.deepEqual(model.nodes.map((n) => byCategory.cells.get(n.id)), [[0, 0], [1, 1], [2, 1], [3, 2], [4, 1]]);
    const byStream = timelineLayout(model, 'stream');
    assert.deepEqual(byStream.lanes.map((l) => l.id), ['COMMANDS', 'EVENTS', 'SAGAS']);
  });

  it('in a history ↑/↓ go to the version before and after', () => {
    const v = (version: number, seq: number) => event(`e-${seq}`, seq, seq, 'c', 'c', { aggregate_id: 'o-1', version });
    const h = historyTimeline(aggregateHistory([v(1, 1), v(2, 2)]), { domain: 'orders', aggregate: 'order', id: 'o-1' });
    assert.deepEqual(walk(h, 'e-1', ['effect', 'effect', 'cause']), ['e-2', 'OrderPlaced v2 (EVENTS #2) has no version after in this timeline.', 'e-1']);
  });
});
