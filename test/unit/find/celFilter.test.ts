import * as assert from 'node:assert/strict';
import { CEL_VARIABLES, compileCel, type CelFilter } from '../../../src/core/find';
import type { ViewedMessage } from '../../../src/core/message';

const enc = new TextEncoder();

function message(payload: string | Uint8Array, extra: Partial<ViewedMessage> = {}): ViewedMessage {
  const data = typeof payload === 'string' ? enc.encode(payload) : payload;
  return {
    seq: 42,
    time: new Date('2026-12-02T10:00:00Z'),
    subject: 'dev.orders.order.placed.e-1',
    headers: [['Nats-Msg-Id', 'm-1'], ['X-Trace', 'first'], ['X-Trace', 'second']],
    data,
    size: data.length,
    stream: 'DOMAIN_EVENTS',
    ...extra,
  };
}

const ORDER = JSON.stringify({ event_id: 'e-1', event_type: 'OrderPlaced', data: { customer_id: '123', total: 99.5 }, version: 3 });
const BIG_ORDER = JSON.stringify({ event_id: 'e-1', event_type: 'OrderPlaced', data: { customer_id: '123', note: 'x'.repeat(1100) } });
const OTHER = JSON.stringify({ event_id: 'e-2', event_type: 'CustomerRegistered', data: { name: 'Ann' } });

function compiled(source: string): CelFilter {
  const r = compileCel(source);
  if (!r.ok) assert.fail(`${source} did not compile: ${r.problem.message}`);
  return r.filter;
}

function matches(source: string, m: ViewedMessage): boolean {
  const r = compiled(source).evaluate(m);
  assert.equal(r.error, undefined, `${source}: ${r.error}`);
  return r.matched;
}

describe('CEL filter: the documented examples', () => {
  it('event.data.customer_id == "123" matches the customer and not another', () => {
    assert.equal(matches('event.data.customer_id == "123"', message(ORDER)), true);
    assert.equal(matches('event.data.customer_id == "124"', message(ORDER)), false);
  });

  it('event.event_type.startsWith("Order") && size > 1024 needs both', () => {
    const f = 'event.event_type.startsWith("Order") && size > 1024';
    assert.equal(matches(f, message(BIG_ORDER)), true);
    assert.equal(matches(f, message(ORDER)), false, 'small');
    assert.equal(matches(f, message(OTHER)), false, 'another type');
  });

  it('headers["Nats-Msg-Id"] == "…" reads the header (a repeated header gives its first value)', () => {
    assert.equal(matches('headers["Nats-Msg-Id"] == "m-1"', message(ORDER)), true);
    assert.equal(matches('headers["Nats-Msg-Id"] == "m-2"', message(ORDER)), false);
    assert.equal(matches('headers["X-Trace"] == "first"', message(ORDER)), true);
  });

  it('time > timestamp("2026-12-01T00:00:00Z") compares the stored time', () => {
    assert.equal(matches('time > timestamp("2026-12-01T00:00:00Z")', message(ORDER)), true);
    assert.equal(matches('time > timestamp("2026-12-03T00:00:00Z")', message(ORDER)), false);
  });

  it('subject.endsWith(".placed." + event.event_id) joins subject and payload', () => {
    assert.equal(matches('subject.endsWith(".placed." + event.event_id)', message(ORDER)), true);
    assert.equal(matches('subject.endsWith(".placed." + event.event_id)', message(OTHER)), false);
  });

  it('has(event.data.customer_id) tests for a field without failing', () => {
    assert.equal(matches('has(event.data.customer_id)', message(ORDER)), true);
    assert.equal(matches('has(event.data.customer_id)', message(OTHER)), false);
  });

  it('every variable is there: tokens, seq, size, stream, and JSON numbers compare with ints', () => {
    assert.equal(matches('tokens[1] == "orders" && tokens.size() == 5', message(ORDER)), true);
    assert.equal(matches('seq == 42 && seq > 41u', message(ORDER)), true);
    assert.equal(matches('stream == "DOMAIN_EVENTS"', message(ORDER)), true);
    assert.equal(matches('event.version == 3 && event.data.total > 99', message(ORDER)), true);
    assert.equal(matches('"Nats-Msg-Id" in headers && !("X-Other" in headers)', message(ORDER)), true);
    assert.equal(matches('event.event_type.lowerAscii() == "orderplaced"', message(ORDER)), true);
  });

  it('lists its variables for completion, each with an example that compiles', () => {
    assert.deepEqual(CEL_VARIABLES.map((v) => v.name).sort(), ['event', 'headers', 'seq', 'size', 'stream', 'subject', 'time', 'tokens']);
    for (const v of CEL_VARIABLES) assert.equal(compileCel(v.example).ok, true, v.example);
  });
});

describe('CEL filter: a message the expression fails on does not match, and says why', () => {
  it('a missing field names the field and its column', () => {
    const r = compiled('event.data.customer_id == "123"').evaluate(message(OTHER));
    assert.deepEqual(r, { matched: false, error: 'no field "customer_id" at column 11 (test with has(…))' });
  });

  it('a payload that is not JSON: event is null, and the reason says so', () => {
    const r = compiled('event.data.customer_id == "123"').evaluate(message('hello, not json'));
    assert.deepEqual(r, { matched: false, error: 'the payload is not JSON, so event is null at column 6' });
    assert.equal(matches('event == null', message('hello, not json')), true);
    assert.equal(compiled('event.x == 1').evaluate(message(new Uint8Array([0xff, 0xfe]))).error, 'the payload is binary, not JSON, so event is null at column 6');
    assert.equal(compiled('event.x == 1').evaluate(message('')).error, 'the payload is empty, so event is null at column 6');
  });

  it('an expression without event matches a message that is not JSON', () => {
    assert.equal(matches('subject.startsWith("dev.")', message('plain text')), true);
  });

  it('a type mismatch does not match and names the operator', () => {
    const r = compiled('event.data.customer_id > 100').evaluate(message(ORDER));
    assert.equal(r.matched, false);
    assert.equal(r.error, 'type mismatch at column 24: > does not apply to (string, int)');
  });

  it('a missing header says how to test for it', () => {
    const r = compiled('headers["X-Missing"] == "1"').evaluate(message(ORDER));
    assert.deepEqual(r, { matched: false, error: 'no header "X-Missing" at column 1 (test with "X-Missing" in headers)' });
  });

  it('a result that is not true or false is no match', () => {
    assert.deepEqual(compiled('size').evaluate(message(ORDER)), { matched: false, error: `the expression gave the number ${ORDER.length}, not true or false` });
  });
});

describe('CEL filter: compile errors come back with their column, before any message is read', () => {
  function problem(source: string): { column: number; message: string } {
    const r = compileCel(source);
    if (r.ok) assert.fail(`${source} compiled`);
    return { column: r.problem.column, message: r.problem.message };
  }

  it('an expression that ends after an operator', () => {
    assert.deepEqual(problem('event.data.customer_id == '), { column: 24, message: 'The expression ends after == at column 24: write what follows it.' });
  });

  it('a single = where == was meant', () => {
    assert.deepEqual(problem('size = 3'), { column: 6, message: 'The single = at column 6 is no comparison in CEL: write ==.' });
  });

  it('an unclosed parenthesis and an unclosed string', () => {
    assert.deepEqual(problem('size > 3 && (seq > 1'), { column: 13, message: 'The ( at column 13 is never closed: add ).' });
    assert.deepEqual(problem('subject == "dev.orders'), { column: 12, message: 'The string that opens at column 12 is not closed: end it with ".' });
  });

  it('an unknown variable and an unknown function', () => {
    assert.deepEqual(problem('size > 1 && evnt.data.x == 1'), {
      column: 13,
      message: 'Column 13: "evnt" is no variable: use one of event, subject, tokens, headers, time, seq, size, stream.',
    });
    assert.equal(problem('subject.frobnicate()').message, 'Column 9: CEL has no function "frobnicate".');
  });

  it('an empty expression', () => {
    assert.equal(problem('  ').column, 1);
  });

  it('a variable bound by a macro is no unknown variable', () => {
    assert.equal(compileCel('event.items.exists(i, i.sku == "A")').ok, true);
  });
});

describe('CEL filter prefilter', () => {
  const filterOf = (source: string): CelFilter => {
    const r = compileCel(source);
    if (!r.ok) throw new Error(r.problem.message);
    return r.filter;
  };
  const warm = (f: CelFilter) => {
    // past the messages always evaluated whole
    for (let i = 0; i < 1001; i++) f.evaluate(message(JSON.stringify({ data: { customer_id: `c-${i}` } })));
  };

  it('never passes over a payload that matches, escaped strings included', () => {
    const f = filterOf('event.data.customer_id == "123" && size > 1');
    warm(f);
    assert.equal(f.evaluate(message('{"data":{"customer_id":"123"}}')).matched, true);
    assert.equal(f.evaluate(message('{"data":{"customer_id":"\\u0031\\u0032\\u0033"}}')).matched, true);
    assert.equal(f.evaluate(message('{"data":{"customer_id":"1234"}}')).matched, false);
  });

  it('passes over a payload that cannot match without evaluating it, once the first messages were evaluated whole', () => {
    const f = filterOf('event.data.customer_id == "123"');
    assert.match(f.evaluate(message('not json')).error ?? '', /not JSON|null/);
    warm(f);
    // proven not to match: no failure is reported for it
    assert.deepEqual(f.evaluate(message('not json')), { matched: false });
  });

  it('keeps evaluating expressions that need no string of the payload', () => {
    const f = filterOf('event.data.customer_id != "123"');
    warm(f);
    assert.match(f.evaluate(message('not json')).error ?? '', /not JSON|null/);
  });
});
