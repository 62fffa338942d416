// What a tail says under a message whose payload breaks its category's envelope or lacks declared data fields.
import * as assert from 'node:assert/strict';
import { preset } from '../../../src/core/algebra/compiled';
import { checkEnvelope, envelopeChecker } from '../../../src/core/message/envelopeCheck';
import { exampleBusiness } from '../domain/fixtures';

const algebra = preset('cim-start');
const ID = '550e8400-e29b-41d4-a716-446655440000';
const OTHER = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const EVENT_SUBJECT = `dev.domain.sales.order.placed.${ID}`;

function event(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: ID,
    event_type: 'OrderPlaced',
    aggregate_type: 'Order',
    aggregate_id: OTHER,
    domain: 'sales',
    timestamp: '2026-12-01T09:30:00.000Z',
    version: 1,
    data: { order_id: OTHER, customer_id: OTHER, items: [], total_amount: { amount: 1, currency: 'USD' }, placed_at: '2026-12-01T09:30:00Z' },
    metadata: { correlation_id: ID, causation_id: ID, source: 'test' },
    ...over,
  };
}

function without(o: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...o };
  delete copy[key];
  return copy;
}

const check = (subject: string, payload: unknown, defs = [exampleBusiness()]) => checkEnvelope(algebra, subject, typeof payload === 'string' ? payload : JSON.stringify(payload), defs);

describe('checkEnvelope', () => {
  it('says nothing about a domain event that keeps its envelope and carries every declared field', () => {
    assert.deepEqual(check(EVENT_SUBJECT, event()), []);
  });

  it('names a missing event_id with the id it should be', () => {
    assert.deepEqual(check(EVENT_SUBJECT, without(event(), 'event_id')), [
      `Missing "event_id": a domain event's envelope carries it, equal to the subject's last token ${ID}.`,
    ]);
  });

  it('says when event_id is not the subject\'s last token', () => {
    assert.deepEqual(check(EVENT_SUBJECT, event({ event_id: OTHER })), [`"event_id" is "${OTHER}", not the subject's last token ${ID}.`]);
  });

  it('names a missing metadata.correlation_id, and a missing metadata once with what it holds', () => {
    const meta = { causation_id: ID, source: 'test' };
    assert.deepEqual(check(EVENT_SUBJECT, event({ metadata: meta })), [`Missing "metadata.correlation_id": a domain event's envelope carries it.`]);
    assert.deepEqual(check(EVENT_SUBJECT, without(event(), 'metadata')), [
      `Missing "metadata" { correlation_id, causation_id, source }: a domain event's envelope carries it.`,
    ]);
  });

  it('says which field has the wrong kind of value', () => {
    const w = check(EVENT_SUBJECT, event({ version: '1', timestamp: 'yesterday', data: [], event_type: '' }));
    assert.deepEqual(w, [
      '"event_type" is empty.',
      '"timestamp" is "yesterday", not an ISO 8601 time such as 2026-12-01T09:30:00Z.',
      '"version" is "1", not a number.',
      '"data" is an array, not an object.',
    ]);
  });

  it('lists the data fields the domain definition declares for the event but the payload lacks, in one line', () => {
    const data = { order_id: OTHER, items: [] };
    assert.deepEqual(check(EVENT_SUBJECT, event({ data })), [
      '"data" lacks customer_id (UUID), total_amount (Money) and placed_at (DateTime), which OrderPlaced declares in the example-business domain definition.',
    ]);
    // Without the workspace's definitions only the envelope is checked.
    assert.deepEqual(check(EVENT_SUBJECT, event({ data }), []), []);
  });

  it('says when names in the envelope contradict the subject', () => {
    assert.deepEqual(check(EVENT_SUBJECT, event({ domain: 'billing', aggregate_type: 'Customer' })), [
      '"domain" is "billing", but the subject\'s domain is sales.',
      '"aggregate_type" is "Customer", but the subject\'s aggregate is order.',
    ]);
    // The definition's own name for a domain whose subjects use its bounded context is the same domain.
    assert.deepEqual(check(EVENT_SUBJECT, event({ domain: 'example-business' })), []);
    assert.deepEqual(check(EVENT_SUBJECT, event({ event_type: 'CustomerRegistered' })), [
      '"event_type" is "CustomerRegistered", but the subject\'s event is order.placed.',
    ]);
  });

  it('checks a command\'s envelope: metadata.correlation_id but no causation', () => {
    const cmd = {
      command_id: ID, command_type: 'CreateOrder', aggregate_type: 'Order', domain: 'sales', timestamp: '2026-12-01T09:30:00Z', data: {},
      metadata: { correlation_id: ID, source: 'x' },
    };
    assert.deepEqual(check('dev.command.sales.order.create', cmd), []);
    assert.deepEqual(check('dev.command.sales.order.create', without(cmd, 'command_id')), [`Missing "command_id": a command's envelope carries it.`]);
  });

  it('checks projections, sagas and snapshots by their own fields', () => {
    assert.deepEqual(check('prod.projection.order-summary.update', { projection_id: ID, view_name: 'order-summary', timestamp: '2026-12-01T09:30:00Z', data: {} }), [
      `Missing "operation": a projection's envelope carries it.`,
    ]);
    assert.deepEqual(check('prod.saga.order-fulfillment.started', { saga_id: ID, process_name: 'returns', event_type: 'Started', timestamp: '2026-12-01T09:30:00Z', data: {} }), [
      '"process_name" is "returns", but the subject\'s process is order-fulfillment.',
    ]);
    assert.deepEqual(check(`prod.snapshot.sales.order.${ID}`, { aggregate_id: OTHER, aggregate_type: 'Order', domain: 'sales', version: 3, timestamp: '2026-12-01T09:30:00Z', state: {} }), [
      `"aggregate_id" is "${OTHER}", not the subject's last token ${ID}.`,
    ]);
  });

  it('says once when the payload is no JSON object at all', () => {
    assert.deepEqual(check(EVENT_SUBJECT, 'hello'), ['The payload is not JSON: a domain event carries a JSON envelope.']);
    assert.deepEqual(check(EVENT_SUBJECT, '[1,2]'), ['The payload is an array, not an object: a domain event carries a JSON envelope.']);
    assert.match(check(EVENT_SUBJECT, '')[0]!, /^The payload is empty: a domain event carries a JSON envelope \(event_id, event_type, .*metadata\)\.$/);
    assert.deepEqual(checkEnvelope(algebra, EVENT_SUBJECT, new Uint8Array([0, 1, 2])), ['The payload is not text: a domain event carries a JSON envelope.']);
  });

  it('has nothing to say about subjects outside every category', () => {
    assert.deepEqual(check('metrics.cpu.load', 'not json'), []);
    assert.deepEqual(check('dev.unknown.sales.order', 'not json'), []);
  });

  it('gives the tail a checker over the bytes it received', () => {
    const checker = envelopeChecker(algebra, [exampleBusiness()]);
    assert.deepEqual(checker(EVENT_SUBJECT, new TextEncoder().encode(JSON.stringify(event({ event_id: 7 })))), ['"event_id" is 7, not a string.']);
  });
});
