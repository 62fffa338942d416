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

  it('rejects an unknown type, a missing field and a wrong value, each with one sentence naming it', () => {
    const problem = (raw: unknown) => {
      const r = parseFromWebview(raw);
      return r.ok ? 'accepted' : r.problem;
    };
    assert.equal(problem({ type: 'delete', nodeId: 'n0' }), 'Ignored a "delete" message from the timeline: type "delete" is not one of "ready", "rendered", "open", "copy", "state".');
    assert.equal(problem({ type: 'open' }), 'Ignored a "open" message from the timeline: nodeId should be a string but is missing.');
    assert.equal(problem({ type: 'rendered', nodes: '2', lanes: 1 }), 'Ignored a "rendered" message from the timeline: nodes should be a number but is a string.');
    assert.equal(problem({ type: 'state', state: { selected: null, scroll: { x: 0, y: 0 }, laneMode: 'diagonal' } }), 'Ignored a "state" message from the timeline: state.laneMode should be "category" or "stream", not "diagonal".');
    assert.equal(problem('ready'), 'Ignored a message from the timeline: it should be an object but is a string.');
    assert.equal(problem(null), 'Ignored a message from the timeline: it should be an object but is null.');
  });

  it('rejects a model that does not fit, naming where', () => {
    const broken = { ...model, nodes: [{ ...model.nodes[0]!, seq: '1' }] };
    const r = parseToWebview({ type: 'show', model: broken });
    assert.equal(r.ok ? '' : r.problem, 'Ignored a "show" message to the timeline: model.nodes.0.seq should be a number but is a string.');
  });
});
