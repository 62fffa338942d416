import * as assert from 'node:assert/strict';
import { envelopeHeaders, messageIdOf, sampleEnvelope } from '../../../src/core/envelope';
import { NOW, id, numberedIds, subject } from './helpers';

const EVENT_ID = '550e8400-e29b-41d4-a716-446655440003';

describe('envelopeHeaders', () => {
  it('sends a domain event with Nats-Msg-Id equal to its event_id, the subject\'s last token', () => {
    const parsed = subject(`prod.domain.customer.customer.registered.${EVENT_ID}`);
    const envelope = sampleEnvelope(parsed, { now: NOW, uuid: numberedIds() });
    assert.deepEqual(envelopeHeaders(envelope, parsed), {
      'Nats-Msg-Id': EVENT_ID,
      'X-Message-ID': EVENT_ID,
      'X-Correlation-ID': EVENT_ID,
      'X-Causation-ID': EVENT_ID,
    });
  });

  it('carries a derived message\'s correlation and causation', () => {
    const parsed = subject('dev.command.sales.order.ship');
    const envelope = sampleEnvelope(parsed, { now: NOW, uuid: numberedIds(), parent: { message_id: EVENT_ID, correlation_id: id(99) } });
    assert.deepEqual(envelopeHeaders(envelope, parsed), {
      'Nats-Msg-Id': id(1),
      'X-Message-ID': id(1),
      'X-Correlation-ID': id(99),
      'X-Causation-ID': EVENT_ID,
    });
  });

  it('uses a snapshot\'s own message id, not its aggregate id', () => {
    const parsed = subject(`prod.snapshot.sales.order.${EVENT_ID}`);
    const envelope = sampleEnvelope(parsed, { now: NOW, uuid: numberedIds() });
    assert.equal(envelopeHeaders(envelope, parsed)['Nats-Msg-Id'], id(1));
  });

  it('uses the minimal envelope\'s id for a subject outside every category', () => {
    const parsed = subject('audit.trail');
    const envelope = sampleEnvelope(parsed, { now: NOW, uuid: numberedIds() });
    assert.deepEqual(envelopeHeaders(envelope, parsed), {
      'Nats-Msg-Id': id(1), 'X-Message-ID': id(1), 'X-Correlation-ID': id(1), 'X-Causation-ID': id(1),
    });
  });

  describe('an envelope edited by hand', () => {
    const parsed = subject(`dev.domain.sales.order.created.${EVENT_ID}`);

    it('follows the edited ids; without metadata the message is a root', () => {
      assert.deepEqual(envelopeHeaders({ event_id: 'e-1', data: {} }, parsed), {
        'Nats-Msg-Id': 'e-1', 'X-Message-ID': 'e-1', 'X-Correlation-ID': 'e-1', 'X-Causation-ID': 'e-1',
      });
    });

    it('finds the id of an envelope of another kind than the subject\'s', () => {
      assert.equal(envelopeHeaders({ command_id: 'c-1' }, parsed)['Nats-Msg-Id'], 'c-1');
    });

    it('leaves out what the envelope does not say rather than inventing it', () => {
      assert.deepEqual(envelopeHeaders({}, parsed), {});
      assert.deepEqual(envelopeHeaders({ event_id: 7, metadata: 'x' }, parsed), {});
      assert.deepEqual(envelopeHeaders({ metadata: { correlation_id: 'c-1' } }, parsed), { 'X-Correlation-ID': 'c-1' });
    });
  });

  it('messageIdOf reads the id field of each kind', () => {
    assert.equal(messageIdOf({ event_id: 'e', command_id: 'c' }, 'command'), 'c');
    assert.equal(messageIdOf({ aggregate_id: 'a', metadata: { message_id: 'm' } }, 'snapshot'), 'm');
    assert.equal(messageIdOf({ saga_id: 's' }), 's');
    assert.equal(messageIdOf({ aggregate_id: 'a' }, 'snapshot'), undefined);
  });
});
