// What the Find Messages expression input offers while typing: examples on an empty input, the variable a word
// starts, the envelope's fields after event. and metadata.; each suggestion's value is the whole new input.
import assert from 'node:assert/strict';
import { celSuggestions } from '../../../src/core/find/celCompletion';
import { compileCel } from '../../../src/core/find/celFilter';

describe('CEL input suggestions', () => {
  it('offers the documented examples on an empty input, each of which compiles', () => {
    const s = celSuggestions('');
    assert.ok(s.some(x => x.value === 'event.data.customer_id == "123"'));
    for (const x of s) assert.ok(compileCel(x.value).ok, x.value);
  });

  it('completes the variable a word starts, keeping what came before', () => {
    assert.deepEqual(celSuggestions('size > 10 && ev').map(x => x.value), ['size > 10 && event']);
    assert.deepEqual(celSuggestions('s').map(x => x.label).sort(), ['seq', 'size', 'stream', 'subject']);
    assert.deepEqual(celSuggestions('event'), []);
  });

  it('offers the envelope fields after event. and the metadata fields after event.metadata.', () => {
    assert.deepEqual(celSuggestions('event.aggr').map(x => x.value), ['event.aggregate_type', 'event.aggregate_id']);
    assert.ok(celSuggestions('has(event.').some(x => x.value === 'has(event.event_type'));
    assert.deepEqual(celSuggestions('event.metadata.c').map(x => x.value), ['event.metadata.correlation_id', 'event.metadata.causation_id']);
  });

  it('offers nothing inside a string or after a field of a field', () => {
    assert.deepEqual(celSuggestions('subject == "ev'), []);
    assert.deepEqual(celSuggestions('event.data.cu'), []);
  });
});
