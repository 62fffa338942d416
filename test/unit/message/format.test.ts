// What a person sees of a message in a view, in a playbook block and in an export line, and reading the line back.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePlaybook, resolveBlock } from '../../../src/core/playbook';
import {
  formatMessage, messageAsJsonLine, messageAsNatsBlock, parseJsonLine, reformatJson, type ViewedMessage,
} from '../../../src/core/message';

const enc = new TextEncoder();
const TIME = new Date('2026-12-01T09:30:00.000Z');
const SUBJECT = 'dev.domain.sales.order.created.550e8400-e29b-41d4-a716-446655440000';

function msg(data: Uint8Array | string, extra: Partial<ViewedMessage> = {}): ViewedMessage {
  const bytes = typeof data === 'string' ? enc.encode(data) : data;
  return { seq: 42, time: TIME, subject: SUBJECT, headers: [], data: bytes, size: bytes.length, ...extra };
}

const builtins = { env: 'dev', uuid: () => 'u', now: () => 'n' };

describe('formatMessage', () => {
  it('starts with seq, ISO time, subject and size, then the headers, then the JSON indented by two', () => {
    const text = formatMessage(msg('{"order_id":"o-1","total":{"amount":99.5,"currency":"USD"},"items":[]}', {
      headers: [['Nats-Msg-Id', 'abc'], ['X-Correlation-ID', 'c-1']],
    }));
    assert.equal(text, [
      `#42  2026-12-01T09:30:00.000Z  ${SUBJECT}  70 B`,
      'Nats-Msg-Id: abc',
      'X-Correlation-ID: c-1',
      '',
      '{',
      '  "order_id": "o-1",',
      '  "total": {',
      '    "amount": 99.5,',
      '    "currency": "USD"',
      '  },',
      '  "items": []',
      '}',
    ].join('\n'));
  });

  it('shows the size as people read it and leaves out what is not known', () => {
    const m: ViewedMessage = { subject: 'dev.saga.returns.started', headers: [['A', '1']], data: enc.encode('x'.repeat(1234)), size: 1234 };
    assert.equal(formatMessage(m, { showHeaders: false }).split('\n')[0], 'dev.saga.returns.started  1.2 KiB');
    assert.ok(!formatMessage(m, { showHeaders: false }).includes('A: 1'));
  });

  it('keeps JSON numbers and escapes exactly as they were sent', () => {
    const text = formatMessage(msg('{"id":12345678901234567890,"s":"a\\u00e9\\"b","e":1e400}'));
    assert.match(text, /"id": 12345678901234567890,/);
    assert.match(text, /"s": "a\\u00e9\\"b",/);
    assert.match(text, /"e": 1e400/);
  });

  it('shows UTF-8 text as it is', () => {
    assert.equal(formatMessage(msg('Grüße aus Köln\nzweite Zeile')).split('\n').slice(2).join('\n'), 'Grüße aus Köln\nzweite Zeile');
  });

  it('shows bytes that are not text as a hex preview, 16 a line', () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x00, ...enc.encode('bcdefghijklmnopqrs')]);
    const lines = formatMessage(msg(bytes)).split('\n').slice(2);
    assert.deepEqual(lines, [
      '00000000  7b 22 61 00 62 63 64 65  66 67 68 69 6a 6b 6c 6d  |{"a.bcdefghijklm|',
      '00000010  6e 6f 70 71 72 73                                 |nopqrs|',
    ]);
  });

  it('treats invalid UTF-8 as binary and cuts a long hex preview with the full size', () => {
    const bytes = new Uint8Array(1_500_000).map((_, i) => (i * 7) & 0xff);
    bytes[0] = 0xff;
    const lines = formatMessage(msg(bytes)).split('\n').slice(2);
    assert.equal(lines.length, 9);
    assert.match(lines[0]!, /^00000000 {2}ff 07 0e 15 /);
    assert.equal(lines.at(-1), '… (cut: 1.4 MiB in all)');
  });

  it('cuts text beyond maxPayloadBytes, never inside a character, and says how much there was', () => {
    const text = 'ü'.repeat(1000); // 2,000 bytes
    const shown = formatMessage(msg(text), { maxPayloadBytes: 101 }).split('\n').slice(2);
    assert.deepEqual(shown, ['ü'.repeat(50), '… (cut: 2.0 KiB in all)']);
  });

  it('still indents a JSON payload longer than the cut, and cuts it at a line', () => {
    const big = JSON.stringify({ items: Array.from({ length: 5000 }, (_, i) => ({ i, name: `item-${i}` })) });
    const shown = formatMessage(msg(big), { maxPayloadBytes: 200 }).split('\n').slice(2);
    assert.deepEqual(shown.slice(0, 4), ['{', '  "items": [', '    {', '      "i": 0,']);
    assert.ok(shown.join('\n').length < 260);
    assert.match(shown.at(-1)!, /^… \(cut: \d+(\.\d)? KiB in all\)$/);
  });

  it('says when the reader kept only the start of the payload', () => {
    const shown = formatMessage({ ...msg('{"a":'), size: 1_500_000 }).split('\n').slice(2);
    assert.deepEqual(shown, ['{"a":', '… (cut: 1.4 MiB in all)']);
  });

  it('names an empty payload', () => {
    assert.equal(formatMessage(msg('')).split('\n').at(-1), '(empty payload)');
  });
});

describe('messageAsNatsBlock', () => {
  it('says nothing of an original id when the message was never sent (a sample draft)', () => {
    const block = messageAsNatsBlock({ subject: SUBJECT, headers: [['Nats-Msg-Id', 'c-1']], data: enc.encode('{}'), size: 2 });
    assert.ok(!block.includes("Nats-Msg-Id is the original's"), block);
    assert.ok(block.includes('Nats-Msg-Id: c-1'), block);
  });

  it('is a PUB block a playbook reads back as the same subject, headers and JSON body', () => {
    const block = messageAsNatsBlock(msg('{"event_id":"e-1","data":{"n":12345678901234567890}}', {
      stream: 'DOMAIN_SALES_EVENTS', headers: [['Nats-Msg-Id', 'e-1'], ['X-Causation-ID', 'e-0']],
    }));
    assert.equal(block, [
      `### ${SUBJECT}`,
      '# From stream DOMAIN_SALES_EVENTS, seq 42, stored 2026-12-01T09:30:00.000Z.',
      "# Nats-Msg-Id is the original's: inside the stream's duplicate window a re-send is not stored again; change it to send anew.",
      `PUB ${SUBJECT}`,
      'Nats-Msg-Id: e-1',
      'X-Causation-ID: e-0',
      '',
      '{',
      '  "event_id": "e-1",',
      '  "data": {',
      '    "n": 12345678901234567890',
      '  }',
      '}',
      '',
    ].join('\n'));
    const parsed = parsePlaybook(block);
    assert.deepEqual(parsed.problems, []);
    const sent = resolveBlock(parsed.blocks[0]!, builtins);
    assert.equal(sent.subject, SUBJECT);
    assert.deepEqual(sent.headers, [{ name: 'Nats-Msg-Id', value: 'e-1' }, { name: 'X-Causation-ID', value: 'e-0' }]);
    assert.equal(reformatJson(sent.body!, 0), '{"event_id":"e-1","data":{"n":12345678901234567890}}');
  });

  it('sends a text payload as its body, and a message without payload with no body', () => {
    const text = messageAsNatsBlock(msg('plain words\nsecond line', { seq: undefined, time: undefined }));
    assert.equal(text, `### ${SUBJECT}\nPUB ${SUBJECT}\n\nplain words\nsecond line\n`);
    assert.equal(resolveBlock(parsePlaybook(text).blocks[0]!, builtins).body, 'plain words\nsecond line');
    const empty = messageAsNatsBlock(msg('', { seq: undefined, time: undefined, headers: [['A', 'b']] }));
    assert.equal(empty, `### ${SUBJECT}\nPUB ${SUBJECT}\nA: b\n`);
    assert.equal(parsePlaybook(empty).blocks[0]!.body, undefined);
  });

  it('says in a comment that a binary payload cannot be a body, and leaves the body empty', () => {
    const block = messageAsNatsBlock(msg(new Uint8Array([0, 1, 2, 255]), { seq: undefined, time: undefined }));
    assert.equal(block, [
      `### ${SUBJECT}`,
      '# The payload is binary (4 B), which a PUB body cannot carry: the body is left empty.',
      `PUB ${SUBJECT}`,
      '',
    ].join('\n'));
    const parsed = parsePlaybook(block);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.blocks[0]!.body, undefined);
  });

  it('leaves out a text body the playbook would read otherwise, and says why', () => {
    const cases: [string, string][] = [
      ['one\n### two', 'a line starting with ### would begin a new block'],
      ['# heading\ntext', 'its first line would read as a comment'],
      ['{"greeting":"Hello {{name}}"}', 'it holds {{name}}, which a playbook reads as a variable'],
      ['{not json', 'it starts like JSON but is not valid JSON'],
    ];
    for (const [payload, reason] of cases) {
      const block = messageAsNatsBlock(msg(payload, { seq: undefined, time: undefined }));
      assert.ok(block.includes(`# The payload cannot be a PUB body as it is (${reason}): the body is left empty.`), block);
      const parsed = parsePlaybook(block);
      assert.deepEqual(parsed.problems.filter(p => p.severity === 'error'), [], block);
      assert.equal(parsed.blocks[0]!.body, undefined, block);
    }
  });

  it('keeps a body that only loses its trailing line break, and says so', () => {
    const block = messageAsNatsBlock(msg('hello\n', { seq: undefined, time: undefined }));
    assert.ok(block.includes('# The payload starts or ends with blank lines or spaces, which a playbook body does not keep.'));
    assert.equal(parsePlaybook(block).blocks[0]!.body!.text, 'hello');
  });

  it('comments out Nats-Expected-* headers, which held only for the original', () => {
    const block = messageAsNatsBlock(msg('{}', { seq: undefined, time: undefined, headers: [['Nats-Expected-Last-Sequence', '41'], ['X-A', 'b']] }));
    const parsed = parsePlaybook(block);
    assert.deepEqual(parsed.blocks[0]!.headers.map(h => [h.name, h.value]), [['X-A', 'b']]);
    assert.ok(block.includes('# Nats-Expected-Last-Sequence: 41\n'));
  });
});

describe('messageAsJsonLine and parseJsonLine', () => {
  it('writes {seq,time,subject,headers,payload} with a JSON payload inline and compact', () => {
    const line = messageAsJsonLine(msg('{\n  "a": 12345678901234567890,\n  "b": [1, 2]\n}', { headers: [['Nats-Msg-Id', 'x'], ['X', '1'], ['X', '2']] }));
    assert.equal(line, `{"seq":42,"time":"2026-12-01T09:30:00.000Z","subject":"${SUBJECT}","headers":[["Nats-Msg-Id","x"],["X","1"],["X","2"]],"payload":{"a":12345678901234567890,"b":[1,2]}}`);
    const back = parseJsonLine(line, 1);
    assert.ok(back.ok);
    assert.equal(back.message.seq, 42);
    assert.equal(back.message.time?.toISOString(), TIME.toISOString());
    assert.deepEqual(back.message.headers, [['Nats-Msg-Id', 'x'], ['X', '1'], ['X', '2']]);
    assert.equal(new TextDecoder().decode(back.message.data), '{"a":12345678901234567890,"b":[1,2]}');
    assert.equal(back.message.size, back.message.data.length);
  });

  it('keeps a one-line JSON payload as written, blanks and all, there and back', () => {
    const original = '{"a": 1,  "b":\t[ "x y" ]}';
    const line = messageAsJsonLine(msg(original));
    assert.ok(line.endsWith(`"payload":${original}}`), line);
    const back = parseJsonLine(line, 1);
    assert.ok(back.ok);
    assert.equal(new TextDecoder().decode(back.message.data), original);
  });

  it('writes a JSON payload holding DEL as bytes, as the views treat it', () => {
    const data = enc.encode('{"a":"\x7f"}');
    assert.ok(data.includes(0x7f));
    assert.match(messageAsJsonLine(msg(data)), /"payload":\{"base64":/);
  });

  it('writes text and bytes as base64, and reads them back byte for byte', () => {
    for (const data of [enc.encode('plain text'), new Uint8Array([0, 255, 10, 13]), new Uint8Array(0)]) {
      const line = messageAsJsonLine(msg(data));
      assert.match(line, /"payload":\{"base64":"[A-Za-z0-9+/=]*"\}\}$/);
      const back = parseJsonLine(line, 7);
      assert.ok(back.ok);
      assert.deepEqual([...back.message.data], [...data]);
    }
  });

  it('writes a JSON payload shaped like {"base64": …} as bytes, so it reads back as itself', () => {
    const data = enc.encode('{"base64":"aGk="}');
    const line = messageAsJsonLine(msg(data));
    assert.ok(!line.endsWith('"payload":{"base64":"aGk="}}'));
    const back = parseJsonLine(line, 1);
    assert.ok(back.ok);
    assert.deepEqual([...back.message.data], [...data]);
  });

  it('round-trips any bytes exactly, JSON on one line exactly and other JSON (line breaks, outer blanks) compact', () => {
    const blanks = fc.constantFrom('', ' ', '\t', '\n', ' \r\n');
    const padded = fc.tuple(blanks, fc.json(), blanks).map(([a, j, b]) => enc.encode(a + j + b));
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.json().map(j => enc.encode(j)), padded, fc.string().map(s => enc.encode(s))), data => {
      const back = parseJsonLine(messageAsJsonLine(msg(data, { headers: [['K', 'v']] })), 1);
      assert.ok(back.ok);
      const original = new TextDecoder().decode(data);
      const line = messageAsJsonLine(msg(data));
      if (line.includes('"payload":{"base64":')) assert.deepEqual([...back.message.data], [...data]);
      else assert.equal(new TextDecoder().decode(back.message.data), /[\r\n]|^[ \t]|[ \t]$/.test(original) ? reformatJson(original, 0) : original);
    }), { numRuns: 300 });
  });

  it('names the line and the reason of a line it cannot read', () => {
    const problem = (text: string) => {
      const r = parseJsonLine(text, 12);
      return r.ok ? 'ok' : r.problem;
    };
    assert.equal(problem(''), 'line 12: the line is empty.');
    assert.match(problem('{"subject":'), /^line 12: not JSON \(.+\)\.$/);
    assert.equal(problem('[1]'), 'line 12: not a message: expected an object with "subject" and "payload".');
    assert.equal(problem('{"payload":1}'), 'line 12: "subject" must be a subject: a non-empty string without spaces.');
    assert.equal(problem('{"subject":"a","seq":0,"payload":1}'), 'line 12: "seq" must be a whole number from 1.');
    assert.equal(problem('{"subject":"a","time":"yesterday","payload":1}'), 'line 12: "time" must be an ISO time such as "2026-12-01T09:30:00.000Z".');
    assert.equal(problem('{"subject":"a","headers":[["A"]],"payload":1}'), 'line 12: "headers" must be a list of [name, value] pairs (or an object of names to values).');
    assert.equal(problem('{"subject":"a"}'), 'line 12: no "payload": add it (JSON as is, other bytes as {"base64": "…"}).');
    assert.equal(problem('{"subject":"a","payload":{"base64":"***"}}'), 'line 12: "payload.base64" is not valid base64.');
  });

  it('reads headers written by hand as an object of names to values', () => {
    const r = parseJsonLine('{"subject":"a.b","headers":{"X":["1","2"],"Y":"3"},"payload":"hi"}', 1);
    assert.ok(r.ok);
    assert.deepEqual(r.message.headers, [['X', '1'], ['X', '2'], ['Y', '3']]);
    assert.equal(new TextDecoder().decode(r.message.data), '"hi"');
  });
});
