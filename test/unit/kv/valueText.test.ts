// How a key's value shows in the editor and what a save stores: JSON pretty then compact again, binary as hex,
// cut values said and refused on save; key, pattern and bucket names checked with one sentence each.
import assert from 'node:assert/strict';
import { parseDuration, parseSize } from '../../../src/core/kv/units';
import { bucketNameProblem, keyMatches, keyPatternProblem, keyProblem, savedValue, valueText } from '../../../src/core/kv/valueText';

const bytes = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

describe('key-value value text', () => {
  it('pretty-prints JSON and stores an edit compact again', () => {
    const original = bytes('{"a":1,"b":[true]}');
    const shown = valueText(original, 1024);
    assert.equal(shown.kind, 'json');
    assert.equal(shown.text, '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}\n');
    const unchanged = savedValue(shown, shown.text, original);
    assert.ok(unchanged.ok && unchanged.bytes === original);
    const edited = savedValue(shown, shown.text.replace('1', '2'), original);
    assert.ok(edited.ok);
    assert.equal(str(edited.bytes), '{"a":2,"b":[true]}');
    const broken = savedValue(shown, '{"a":', original);
    assert.ok(!broken.ok);
    assert.match(broken.problem, /^The value was JSON and the edit is not valid JSON \(.+\): fix it and save again\.$/);
  });

  it('keeps text as it is and shows binary as hex, not editable', () => {
    const t = valueText(bytes('plain 42'), 1024);
    assert.equal(t.kind, 'text');
    assert.equal(t.text, 'plain 42');
    const b = valueText(new Uint8Array([0, 1, 0x41, 0xff]), 1024);
    assert.equal(b.kind, 'binary');
    assert.match(b.text, /^# binary value, 4 bytes, as hex\n00000000  00 01 41 ff {38}\.\.A\.\n$/);
    const refused = savedValue(b, b.text);
    assert.ok(!refused.ok && /binary and shown as hex: it cannot be saved/.test(refused.problem));
  });

  it('cuts a large value and says its size', () => {
    const v = valueText(bytes('x'.repeat(5000)), 1000);
    assert.equal(v.cut, true);
    assert.ok(v.text.startsWith('# value cut: the first 1000 of 5000 bytes\n'));
    assert.equal(v.text.length, '# value cut: the first 1000 of 5000 bytes\n'.length + 1000);
    assert.equal(v.editable, false);
  });

  it('names what is wrong with a key, a pattern or a bucket name', () => {
    assert.equal(keyProblem('orders.17'), undefined);
    assert.equal(keyProblem('a/b=c-d_e'), undefined);
    assert.match(keyProblem('a b!')!, /"a b!" is not a valid key \(space, "!"\)/);
    assert.match(keyProblem('a..b')!, /dots separate tokens/);
    assert.equal(keyPatternProblem('orders.>'), undefined);
    assert.equal(keyPatternProblem('*.eu'), undefined);
    assert.match(keyPatternProblem('or*ders')!, /\* stands alone/);
    assert.equal(bucketNameProblem('CONFIG-1_x'), undefined);
    assert.match(bucketNameProblem('a.b')!, /not a valid bucket name: use letters, digits, - and _ only/);
  });

  it('matches keys against patterns like subjects', () => {
    assert.ok(keyMatches('orders.>', 'orders.1.x'));
    assert.ok(!keyMatches('orders.>', 'orders'));
    assert.ok(keyMatches('*.eu', 'a.eu'));
    assert.ok(!keyMatches('*.eu', 'a.b.eu'));
    assert.ok(keyMatches('>', 'a'));
  });
});

describe('key-value bucket inputs', () => {
  it('reads durations and sizes as people type them', () => {
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('0'), 0);
    assert.match(String(parseDuration('soon')), /"soon" is not a duration/);
    assert.equal(parseSize('64KiB'), 65_536);
    assert.equal(parseSize(''), -1);
    assert.equal(parseSize('1024'), 1024);
    assert.match(String(parseSize('big')), /"big" is not a size/);
  });
});
