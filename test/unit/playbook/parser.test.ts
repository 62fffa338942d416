import assert from 'node:assert/strict';
import { parsePlaybook, type Playbook } from '../../../src/core/playbook';
import type { Problem } from '../../../src/core/problem';
import { at, fixture } from './helpers';

const codes = (p: Playbook): string[] => p.problems.map(q => q.code);
const find = (p: Playbook, code: string): Problem => {
  const q = p.problems.find(x => x.code === code);
  assert.ok(q, `expected a ${code} problem, got ${codes(p).join(', ') || 'none'}`);
  return q;
};
const applyFix = (text: string, q: Problem, i = 0): string => {
  const f = q.fixes[i]!;
  return text.slice(0, f.start) + f.newText + text.slice(f.end);
};

describe('parsePlaybook: the full example', () => {
  const text = fixture('example.nats');
  const p = parsePlaybook(text);

  it('finds every block with no problems', () => {
    assert.deepEqual(codes(p), []);
    assert.deepEqual(p.blocks.map(b => [b.verb, b.title]), [
      ['PUB', 'Order created'],
      ['PUB', 'Update a product'],
      ['PUB', 'Snapshot of the order'],
      ['SUB', 'Tail every sales event, all environments'],
      ['REQ', 'Ask the order service'],
    ]);
  });

  it('gives the raw subject and ranges that slice back to what they name', () => {
    const b = p.blocks[0]!;
    assert.equal(b.subject, '{{env}}.domain.sales.order.created.{{event_id}}');
    assert.equal(at(text, b.subjectRange), b.subject);
    assert.equal(at(text, b.verbRange), 'PUB');
    assert.equal(at(text, b.titleRange!), 'Order created');
    assert.ok(at(text, b.range).startsWith('### Order created'));
    assert.equal(b.range.end, p.blocks[1]!.range.start);
  });

  it('reads headers until the blank line and the body after it', () => {
    const b = p.blocks[0]!;
    assert.deepEqual(b.headers.map(h => [h.name, h.value]), [['Nats-Msg-Id', '{{event_id}}'], ['X-Correlation-ID', '{{event_id}}']]);
    for (const h of b.headers) {
      assert.equal(at(text, h.nameRange), h.name);
      assert.equal(at(text, h.valueRange), h.value);
    }
    assert.ok(b.body);
    assert.equal(at(text, b.body.range), b.body.text);
    assert.ok(b.body.text.startsWith('{') && b.body.text.endsWith('}'));
  });

  it('reads a body that follows the REQ line directly, and the timeout option', () => {
    const req = p.blocks[4]!;
    assert.equal(req.timeoutMs, 2000);
    assert.deepEqual(req.options.map(o => [o.name, o.value]), [['timeout', '2s']]);
    assert.deepEqual(req.headers, []);
    assert.ok(req.body?.text.startsWith('{"command_id"'));
  });

  it('gives SUB neither headers nor body', () => {
    const sub = p.blocks[3]!;
    assert.equal(sub.subject, '*.domain.sales.>');
    assert.equal(sub.body, undefined);
  });

  it('scopes file-level variables to every block and resolves uses to their definitions', () => {
    assert.deepEqual(p.variables.map(v => [v.name, v.value, v.fileLevel]), [
      ['source', 'cim-nats-playbook', true], ['order_id', '{{uuid}}', true], ['event_id', '{{uuid}}', true],
    ]);
    for (const b of p.blocks) assert.deepEqual(b.variablesInScope.map(v => v.name), ['source', 'order_id', 'event_id']);
    const use = p.variableUses.find(u => u.name === 'source')!;
    assert.equal(use.definition?.name, 'source');
    assert.equal(at(text, use.range), '{{source}}');
    assert.equal(p.variableUses.find(u => u.name === 'env')?.definition, undefined);
  });
});

describe('parsePlaybook: line endings', () => {
  it('parses CRLF text like LF text, with offsets into the CRLF text', () => {
    const lf = fixture('example.nats');
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = parsePlaybook(lf);
    const b = parsePlaybook(crlf);
    assert.deepEqual(codes(b), []);
    assert.deepEqual(b.blocks.map(x => x.subject), a.blocks.map(x => x.subject));
    assert.deepEqual(b.blocks.map(x => x.headers.map(h => h.value)), a.blocks.map(x => x.headers.map(h => h.value)));
    b.blocks.forEach((blk, i) => {
      assert.equal(at(crlf, blk.subjectRange), blk.subject);
      assert.equal(blk.body?.text, a.blocks[i]!.body?.text.replace(/\n/g, '\r\n'));
    });
    assert.ok(!b.blocks[0]!.title!.includes('\r'));
  });

  it('treats a lone CR as a line break', () => {
    const p = parsePlaybook('### a\rPUB dev.x\rK: v\r\r{"a": 1}');
    assert.deepEqual(codes(p), []);
    assert.equal(p.blocks[0]!.subject, 'dev.x');
    assert.equal(p.blocks[0]!.headers[0]!.value, 'v');
    assert.equal(p.blocks[0]!.body?.text, '{"a": 1}');
  });

  it('parses a file without a trailing newline up to its last character', () => {
    const text = fixture('no-trailing-newline.nats');
    assert.ok(!text.endsWith('\n'));
    const p = parsePlaybook(text);
    assert.deepEqual(codes(p), []);
    const b = p.blocks[0]!;
    assert.equal(b.timeoutMs, 500);
    assert.equal(b.body?.text, '{"command_id": "{{uuid}}"}');
    assert.equal(b.body.range.end, text.length);
    assert.equal(b.range.end, text.length);
  });
});

describe('parsePlaybook: edge cases', () => {
  it('skips empty, comment-only and variable-only blocks without complaint', () => {
    const p = parsePlaybook(fixture('empty-blocks.nats'));
    assert.deepEqual(codes(p), []);
    assert.deepEqual(p.blocks.map(b => b.title), ['The one request']);
  });

  it('keeps headers without a body, skips comments among them, and leaves trailing comments out of the body', () => {
    const text = fixture('headers-no-body.nats');
    const p = parsePlaybook(text);
    assert.deepEqual(codes(p), []);
    const [a, b] = p.blocks;
    assert.deepEqual(a!.headers.map(h => [h.name, h.value]), [['Nats-Msg-Id', '{{uuid}}'], ['X-Correlation-ID', 'abc-123']]);
    assert.equal(a!.body, undefined);
    assert.deepEqual(b!.headers.map(h => h.name), ['Nats-Rollup']);
    assert.equal(b!.body, undefined);
  });

  it('points invalid JSON at the spot that breaks it, and lets a variable stand for a value', () => {
    const text = fixture('invalid-json.nats');
    const p = parsePlaybook(text);
    const json = p.problems.filter(q => q.code === 'playbook/invalid-json-body');
    assert.equal(json.length, 2);
    assert.equal(at(text, json[0]!), '"');
    assert.match(text.slice(json[0]!.start, json[0]!.start + 10), /^"version"/);
    assert.match(json[0]!.message, /expected ',' or '}'/);
    assert.equal(json[0]!.severity, 'error');
    assert.match(json[1]!.message, /trailing comma/);
    const textBody = find(p, 'playbook/text-body');
    assert.equal(at(text, textBody), 'hello world');
    assert.equal(textBody.severity, 'info');
    assert.equal(p.problems.length, 3, 'the {"version": {{version}}} body is fine');
  });

  it('accepts deeply nested JSON with braces and escapes inside strings', () => {
    const text = fixture('nested-json.nats');
    const p = parsePlaybook(text);
    assert.deepEqual(codes(p), []);
    assert.doesNotThrow(() => JSON.parse(p.blocks[0]!.body!.text));
    assert.deepEqual(p.variableUses, [], '"}}{{not a var" is literal text');
  });

  it('reports an unknown verb with a fix, and a line that is no verb at all', () => {
    const text = fixture('unknown-verb.nats');
    const p = parsePlaybook(text);
    const unknown = p.problems.filter(q => q.code === 'playbook/unknown-verb');
    assert.deepEqual(unknown.map(q => at(text, q)), ['PUBLISH', 'sub']);
    assert.equal(unknown[0]!.fixes[0]!.newText, 'PUB');
    assert.equal(unknown[1]!.fixes[0]!.newText, 'SUB');
    const fixed = parsePlaybook(applyFix(text, unknown[0]!));
    assert.equal(fixed.blocks[0]!.subject, 'dev.domain.sales.order.created.{{uuid}}');
    assert.equal(at(text, find(p, 'playbook/missing-verb')), 'Nats-Msg-Id: 1');
  });

  it('splits a block with two verbs at the second one, with a fix that inserts ###', () => {
    const text = fixture('unknown-verb.nats');
    const p = parsePlaybook(text);
    const two = find(p, 'playbook/two-verbs');
    assert.equal(at(text, two), 'PUB');
    assert.equal(text.slice(two.start, two.start + 34), 'PUB dev.command.sales.order.cancel');
    assert.deepEqual(p.blocks.filter(b => b.subject.startsWith('dev.command')).map(b => [b.subject, !!b.body]), [
      ['dev.command.sales.order.create', false], ['dev.command.sales.order.cancel', true],
    ]);
    const fixed = parsePlaybook(applyFix(text, two));
    assert.ok(!fixed.problems.some(q => q.code === 'playbook/two-verbs'));
  });

  it('reports a body under SUB, with fixes to change the verb or drop the lines', () => {
    const text = fixture('unknown-verb.nats');
    const p = parsePlaybook(text);
    const q = find(p, 'playbook/body-on-sub');
    assert.equal(at(text, q), '{"nope": 1}');
    const asPub = parsePlaybook(applyFix(text, q, 0));
    assert.ok(!asPub.problems.some(x => x.code === 'playbook/body-on-sub'));
    assert.equal(asPub.blocks.at(-1)!.body?.text, '{"nope": 1}');
    const dropped = parsePlaybook(applyFix(text, q, 1));
    assert.ok(!dropped.problems.some(x => x.code === 'playbook/body-on-sub'));
  });

  it('says where a variable is defined when a use cannot see it', () => {
    const text = fixture('variables-after-use.nats');
    const p = parsePlaybook(text);
    const undef = p.problems.filter(q => q.code === 'playbook/undefined-variable');
    assert.deepEqual(undef.map(q => at(text, q)), ['{{event_id}}', '{{event_id}}', '{{nobody}}', '{{local}}']);
    assert.match(undef[0]!.message, /before its definition on line 7/);
    assert.match(undef[2]!.message, /is not defined/);
    assert.match(undef[3]!.message, /only inside the block on line 8/);
    const second = p.blocks[1]!;
    assert.deepEqual(second.variablesInScope.map(v => [v.name, v.fileLevel]), [['base', true], ['event_id', false], ['local', false]]);
    assert.deepEqual(p.blocks[2]!.variablesInScope.map(v => v.name), ['base']);
  });

  it('warns about {{ name }} with spaces, with a fix, and about a variable line below the verb', () => {
    const text = fixture('variables-after-use.nats');
    const p = parsePlaybook(text);
    const spaced = find(p, 'playbook/malformed-variable');
    assert.equal(at(text, spaced), '{{ base }}');
    assert.equal(spaced.fixes[0]!.newText, '{{base}}');
    assert.equal(at(text, find(p, 'playbook/variable-after-verb')), '@late = 1');
  });

  it('reports a missing subject, stray words and unknown options on the verb line', () => {
    const text = 'PUB\n###\nPUB dev.a b\n###\nPUB dev.a timeout=2s\n###\nREQ dev.a timeout=soon\n###\nREQ dev.a wait=1s';
    const p = parsePlaybook(text);
    assert.deepEqual(codes(p), ['playbook/missing-subject', 'playbook/extra-text', 'playbook/unknown-option', 'playbook/invalid-option', 'playbook/unknown-option']);
    assert.equal(p.blocks[0]!.subject, '');
    assert.equal(at(text, p.problems[1]!), 'b');
    assert.equal(at(text, p.problems[3]!), 'soon');
    assert.equal(p.problems[2]!.severity, 'warning');
    assert.equal(applyFix(text, p.problems[2]!).split('\n')[4], 'PUB dev.a');
  });

  it('reports a malformed variable definition and a header sent as the body', () => {
    const text = '@ = 1\n@x 1\nPUB dev.a\n\nNats-Msg-Id: 1\n';
    const p = parsePlaybook(text);
    assert.deepEqual(codes(p), ['playbook/invalid-variable', 'playbook/invalid-variable', 'playbook/header-after-blank']);
    assert.equal(at(text, p.problems[2]!), 'Nats-Msg-Id: 1');
  });

  it('lets a definition use earlier variables and built-ins, and shadow a built-in', () => {
    const p = parsePlaybook('@env = staging\n@subject = {{env}}.domain.sales\nPUB {{subject}}.order.created.{{uuid}}\n');
    assert.deepEqual(codes(p), []);
    assert.equal(p.variableUses.find(u => u.name === 'env')?.definition?.value, 'staging');
  });
});
