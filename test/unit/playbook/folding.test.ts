import assert from 'node:assert/strict';
import { foldingRanges } from '../../../src/core/playbook';
import { fixture } from './helpers';

describe('foldingRanges', () => {
  it('folds each ### block to its last non-blank line, and multi-line JSON in bodies', () => {
    const ranges = foldingRanges(fixture('example.nats'));
    assert.deepEqual(ranges.filter(r => r.kind === 'block').map(r => [r.startLine, r.endLine]), [[4, 20], [22, 27], [29, 33], [35, 36], [38, 40]]);
    assert.deepEqual(ranges.filter(r => r.kind === 'body').map(r => [r.startLine, r.endLine]), [[10, 19]]);
  });

  it('folds comment-only blocks too, and ignores brackets inside JSON strings', () => {
    const text = '### notes\n# one\n# two\n### body\nPUB dev.x\n\n{\n  "a": "{[",\n  "b": [\n    1\n  ]\n}\n';
    assert.deepEqual(foldingRanges(text).map(r => [r.startLine, r.endLine, r.kind]), [[0, 2, 'block'], [3, 11, 'block'], [6, 10, 'body'], [8, 9, 'body']]);
  });
});
