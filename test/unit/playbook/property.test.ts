import assert from 'node:assert/strict';
import fc from 'fast-check';
import { foldingRanges, parsePlaybook, resolveBlock, subjectForValidation, type Playbook } from '../../../src/core/playbook';
import type { Span } from '../../../src/core/problem';
import { builtins } from './helpers';

// Pieces of the language, so random text often means something; plain random strings cover the rest.
const piece = fc.constantFrom(
  '###', '### t', '#', '# c', '@', '@a = ', '@b=1', '{{', '}}', '{{a}}', '{{b}}', '{{ a }}', '{{uuid}}', 'PUB ', 'SUB ', 'REQ ', 'PUB',
  'dev.domain.sales.order.created.', '*', '>', ' timeout=2s', ' x=1', 'Nats-Msg-Id: ', 'K:', '{', '}', '[', ']', '"', ':', ',', '\\',
  '\n', '\n', '\n', '\r\n', '\r', ' ', '\t', 'x', '1', 'é', '😀', '\uD800',
);
const playbookText = fc.oneof(
  fc.array(piece, { maxLength: 80 }).map(a => a.join('')),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

function inside(text: string, s: Span, what: string): void {
  assert.ok(Number.isInteger(s.start) && Number.isInteger(s.end), what);
  assert.ok(0 <= s.start && s.start <= s.end && s.end <= text.length, `${what} ${JSON.stringify(s)} outside 0..${text.length}`);
}

function checkRanges(text: string, p: Playbook): void {
  let last = 0;
  for (const b of p.blocks) {
    inside(text, b.range, 'block');
    assert.ok(b.range.start >= last, 'blocks in order, not overlapping');
    last = b.range.end;
    const parts: Span[] = [b.verbRange, b.subjectRange, ...b.options.map(o => o.range), ...b.headers.map(h => h.range)];
    if (b.body) parts.push(b.body.range);
    let prev = b.range.start;
    for (const s of parts) {
      inside(text, s, 'part');
      assert.ok(s.start >= prev && s.end <= b.range.end, 'parts in order inside their block');
      prev = s.end;
    }
    assert.equal(text.slice(b.subjectRange.start, b.subjectRange.end), b.subject);
    for (const h of b.headers) {
      assert.equal(text.slice(h.nameRange.start, h.nameRange.end), h.name);
      assert.equal(text.slice(h.valueRange.start, h.valueRange.end), h.value);
    }
    if (b.body) assert.equal(text.slice(b.body.range.start, b.body.range.end), b.body.text);
    if (b.titleRange) assert.equal(text.slice(b.titleRange.start, b.titleRange.end), b.title);
  }
  for (const v of p.variables) for (const s of [v.range, v.nameRange, v.valueRange]) inside(text, s, 'variable');
  for (const u of p.variableUses) inside(text, u.range, 'use');
  for (const q of p.problems) {
    inside(text, q, q.code);
    assert.ok(q.message.length > 0);
    for (const f of q.fixes) inside(text, f, `${q.code} fix`);
  }
}

describe('parsePlaybook on any text', () => {
  it('never throws, and every range lies inside the text and in order', () => {
    fc.assert(fc.property(playbookText, text => checkRanges(text, parsePlaybook(text))), { numRuns: 3000 });
  });

  it('never throws in the resolver, the subject mapping or folding', () => {
    fc.assert(fc.property(playbookText, fc.nat(), fc.nat(), (text, a, b) => {
      const p = parsePlaybook(text);
      for (const block of p.blocks) {
        resolveBlock(block, builtins());
        const s = subjectForValidation(block, block.variablesInScope, builtins());
        const x = a % (s.value.length + 1);
        const y = b % (s.value.length + 1);
        const span = { start: Math.min(x, y), end: Math.max(x, y) };
        const mapped = s.toDocument(span);
        inside(text, mapped, 'mapped');
        const literal = s.literalSpan(span);
        if (literal) {
          assert.equal(text.slice(literal.start, literal.end), s.value.slice(span.start, span.end), 'literal text maps to itself');
          assert.deepEqual(mapped, literal);
        }
      }
      for (const f of foldingRanges(text, p)) assert.ok(f.startLine < f.endLine);
    }), { numRuns: 1000 });
  });
});
