import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkJson } from '../../../src/core/playbook/jsonCheck';

const noUse = (): number => -1;
const valid = (s: string): boolean => checkJson(s, 0, s.length, noUse) === undefined;
const jsonParses = (s: string): boolean => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

describe('checkJson', () => {
  it('accepts everything JSON.stringify writes', () => {
    fc.assert(fc.property(fc.jsonValue(), v => valid(JSON.stringify(v, null, 2))));
  });

  it('agrees with JSON.parse on mutated JSON', () => {
    const mutated = fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '\\', '\n', '{', '[', '0', '-', 'e', 'tru', ' '))
      .map(([s, at, ins]) => s.slice(0, at % (s.length + 1)) + ins + s.slice(at % (s.length + 1) + (at % 3 === 0 ? 1 : 0)));
    fc.assert(fc.property(mutated, s => valid(s) === jsonParses(s)), { numRuns: 2000 });
  });

  it('agrees with JSON.parse on short tricky inputs', () => {
    for (const s of ['', ' ', '01', '-', '1.', '.5', '1e', '1e+', '"\\u12"', '"\\x"', '"a\tb"', '[1,]', '{"a":1,}', '{,}', 'nul', 'true false', '[[[]]]', '"\\ud800"', '-0', '1E-7']) {
      assert.equal(valid(s), jsonParses(s), JSON.stringify(s));
    }
  });

  it('survives nesting far deeper than the call stack allows', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    assert.equal(valid(deep), true);
  });

  it('lets a variable use stand for a value, but not for a key', () => {
    const s = '{"a": {{v}}, {{k}}: 1}';
    const uses = new Map([[6, 11], [13, 18]]);
    const err = checkJson(s, 0, s.length, i => uses.get(i) ?? -1);
    assert.equal(err?.offset, 13);
  });
});
