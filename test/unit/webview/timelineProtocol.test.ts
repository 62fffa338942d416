import * as assert from 'node:assert/strict';
import { buildCausationForest, traceTimeline } from '../../../src/core/trace';
import { parseFromWebview, parseToWebview } from '../../../src/core/webview/timelineProtocol';
import { command, event } from '../trace/helpers';

const model = traceTimeline(buildCausationForest([command('k', 0, 1, 'k', 'k'), event('e', 1, 2, 'k', 'k')], { correlationId: 'k' }), { correlationId: 'k' });

describe('timeline protocol', () => {
  it('accepts each message the host sends, the model included', () => {
    for (const m of [{ type: 'show', model }, { type: 'select', nodeId: 'n1' }, { type: 'notice', severity: 'info', text: 'Copied.' }]) {
      const r = parseToWebview(m);
      assert.ok(r.ok, r.ok ? '' : r.problem);
      assert.deepEqual(r.message, m);
    }
  });

  it('accepts each message the webview sends', () => {
    const state = { selected: 'n0', scroll: { x: 10, y: 0 }, laneMode: 'stream' };
    for (const m of [{ type: 'ready' }, { type: 'ready', state }, { type: 'rendered', nodes: 2, lanes: 2 }, { type: 'open', nodeId: 'n0' }, { type: 'copy', nodeId: 'n1' }, { type: 'state', state }]) {
      assert.ok(parseFromWebview(m).ok, JSON.stringify(m));
    }
  });

  it('rejects an unknown type, a missing field and a wrong type, each with one sentence', () => {
    assert.deepEqual(parseFromWebview({ type: 'delete', nodeId: 'n0' }), { ok: false, problem: 'Ignored a "delete" message from the timeline: Invalid input at type.' });
    const missing = parseFromWebview({ type: 'open' });
    assert.equal(missing.ok, false);
    assert.match(missing.ok ? '' : missing.problem, /^Ignored a "open" message from the timeline: .* at nodeId\.$/);
    const wrong = parseFromWebview({ type: 'state', state: { selected: null, scroll: { x: 0, y: 0 }, laneMode: 'diagonal' } });
    assert.match(wrong.ok ? '' : wrong.problem, / at state\.laneMode\.$/);
    assert.match((parseFromWebview('ready') as { problem: string }).problem, /^Ignored a message from the timeline: /);
    assert.equal(parseFromWebview(null).ok, false);
  });

  it('rejects a model that does not fit, naming where', () => {
    const broken = { ...model, nodes: [{ ...model.nodes[0]!, seq: '1' }] };
    const r = parseToWebview({ type: 'show', model: broken });
    assert.match(r.ok ? '' : r.problem, /^Ignored a "show" message to the timeline: .* at model\.nodes\.0\.seq\.$/);
  });
});
