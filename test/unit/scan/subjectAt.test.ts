import assert from 'node:assert/strict';
import fc from 'fast-check';
import { subjectContextAt, type FileKind } from '../../../src/core';
import { cursor } from '../../support/cursor';

const at = (marked: string, kind: FileKind) => {
  const { text, offset } = cursor(marked);
  return subjectContextAt(text, offset, kind);
};

describe('subjectContextAt', () => {
  it('finds the subject of a playbook verb line, SUB as a pattern', () => {
    assert.deepEqual(at('PUB dev.dom|ain.sales', 'nats'), { start: 4, end: 20, text: 'dev.domain.sales', pattern: false, origin: 'PUB' });
    assert.equal(at('SUB dev.|', 'nats')?.pattern, true);
    assert.equal(at('Nats-Msg-Id: |x', 'nats'), undefined);
    assert.equal(at('|PUB dev', 'nats'), undefined);
  });
  it('finds the string literal around the cursor, even after an apostrophe in another string', () => {
    assert.equal(at(`x = "don't" + 'dev.domain.|'`, 'source')?.text, 'dev.domain.');
    assert.equal(at(`f("a", "dev.com|mand.x")`, 'source')?.start, 8);
    assert.equal(at(`x = 1 + 2 |`, 'source'), undefined);
  });
  it('stops at an interpolation', () => {
    assert.equal(at('`dev.domain.${x}.|`', 'source')?.text, 'dev.domain.');
  });
  it('reads YAML plain scalars after "key: ", "- " and "- key: "', () => {
    for (const line of ['subject: dev.dom|', '  - dev.dom|', '  - subject: dev.dom|']) assert.equal(at(line, 'yaml')?.text, 'dev.dom', line);
  });
  it('never throws and keeps its range inside the text', () => {
    fc.assert(fc.property(fc.string(), fc.nat(), fc.constantFrom<FileKind>('nats', 'source', 'yaml'), (s, n, kind) => {
      const r = subjectContextAt(s, n % (s.length + 1), kind);
      if (r) assert.ok(r.start >= 0 && r.start <= r.end && r.end <= s.length && s.slice(r.start, r.end) === r.text);
    }), { numRuns: 2000 });
  });
});
