import * as assert from 'node:assert/strict';
import { buildCausationForest, type CausationForest, type TraceNode } from '../../../src/core/trace';
import { C, CONVERSATION, command, event } from './helpers';

/** The forest as a person reads it: indented ids, category, latency from the cause, flags. */
function outline(forest: CausationForest): string[] {
  const lines: string[] = [];
  const walk = (n: TraceNode, depth: number): void => {
    const latency = n.latencyMs === undefined ? '' : ` +${n.latencyMs}ms`;
    const flags = n.flags.map((f) => ` [${f.kind}]`).join('');
    lines.push(`${'  '.repeat(depth)}${n.identity.messageId} ${n.category}${latency}${flags}`);
    n.children.forEach((c) => walk(c, depth + 1));
  };
  forest.roots.forEach((r) => walk(r, 0));
  return lines;
}

// and a message of another correlation among them
const conversation = [...CONVERSATION, event('z-1', 1, 14, 'another', 'another')];

describe('causation forest', () => {
  it('assembles branches under their cause, children by time, with the latency from the cause', () => {
    const forest = buildCausationForest(conversation, { correlationId: C });
    assert.deepEqual(outline(forest), [
      'k-1 command',
      '  e-1 event +1250ms',
      '    s-1 saga +2250ms',
      '      k-2 command +500ms [unanswered-command]',
      '  e-2 event +2000ms',
      'e-3 event [broken-link]',
      'o-1 event [orphan]',
    ]);
    assert.equal(forest.size, 7);
    assert.equal(forest.otherCorrelation, 1, 'the message of another conversation is left out');
    assert.deepEqual([forest.brokenLinks, forest.orphans, forest.unansweredCommands, forest.complete], [1, 1, 1, false]);
  });

  it('says whether a missing cause may lie before the window', () => {
    const withWindow = buildCausationForest(conversation, { correlationId: C, window: { since: new Date('2026-12-08T09:45:00Z'), until: new Date('2026-12-08T10:15:00Z') } });
    const broken = withWindow.roots.find((r) => r.identity.messageId === 'e-3')!.flags[0]!;
    assert.deepEqual(broken, {
      kind: 'broken-link',
      causationId: 'k-3',
      outsideWindowPossible: true,
      message: 'Its cause k-3 was not found: it may have been stored before the window (from 2026-12-08T09:45:00.000Z), or the chain is broken here.',
    });
    const unbounded = buildCausationForest(conversation, { correlationId: C }).roots.find((r) => r.identity.messageId === 'e-3')!.flags[0]!;
    assert.equal(unbounded.kind === 'broken-link' && unbounded.outsideWindowPossible, false);
    assert.equal(unbounded.message, 'Its cause k-3 is in none of the messages searched: the chain is broken here.');
  });

  it('names the orphan and the command no event followed in a sentence each', () => {
    const forest = buildCausationForest(conversation, { correlationId: C, window: { until: new Date('2026-12-08T10:15:00Z') } });
    const orphan = forest.roots.find((r) => r.identity.messageId === 'o-1')!;
    assert.equal(orphan.flags[0]!.message, "It carries correlation id k-1 but names no cause: nothing links it to the conversation's origin.");
    const k2 = forest.roots[0]!.children[0]!.children[0]!.children[0]!;
    assert.equal(k2.flags[0]!.message, 'No event followed this command: it was refused, is still pending, or its event came after the window (to 2026-12-08T10:15:00.000Z).');
  });

  it('a complete conversation is complete, and the origin comes first even when an orphan is older', () => {
    const forest = buildCausationForest([event('e-1', 1, 2, C, 'k-1'), command('k-1', 0.5, 1, C, 'k-1'), event('o-0', 0, 3, C, 'o-0')], { correlationId: C });
    assert.deepEqual(outline(forest), ['k-1 command', '  e-1 event +500ms', 'o-0 event [orphan]']);
    assert.equal(forest.brokenLinks, 0);
    assert.equal(forest.complete, true);
  });

  it('ids that cause each other in a circle are cut at the earliest, not lost', () => {
    const forest = buildCausationForest([event('a', 1, 1, C, 'b'), event('b', 2, 2, C, 'a'), event('d', 3, 3, C, 'b')], { correlationId: C });
    assert.deepEqual(outline(forest), ['a event [cycle]', '  b event +1000ms', '    d event +1000ms']);
  });

  it('the same id stored twice is flagged on the second, and its effects join the first', () => {
    const forest = buildCausationForest([command('k-1', 0, 1, C, 'k-1'), command('k-1', 1, 2, C, 'k-1'), event('e-1', 2, 3, C, 'k-1')], { correlationId: C });
    assert.deepEqual(outline(forest), ['k-1 command', '  e-1 event +2000ms', 'k-1 command [duplicate-id]']);
  });
});
