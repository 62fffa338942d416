import * as assert from 'node:assert/strict';
import { messageIdentity } from '../../../src/core/trace';
import { meta, stored } from './helpers';

describe('message identity rules', () => {
  it('the id is X-Message-ID, else the envelope id, else Nats-Msg-Id', () => {
    const body = { event_id: 'e-1', metadata: meta('c-1', 'k-1') };
    const both = stored({ at: 0, seq: 1, subject: 'a', body, headers: [['Nats-Msg-Id', 'n-1'], ['X-Message-ID', 'x-1']] });
    assert.deepEqual([messageIdentity(both).messageId, messageIdentity(both).idSource], ['x-1', 'X-Message-ID']);
    const envelope = stored({ at: 0, seq: 1, subject: 'a', body, headers: [['Nats-Msg-Id', 'n-1']] });
    assert.deepEqual([messageIdentity(envelope).messageId, messageIdentity(envelope).idSource], ['e-1', 'event_id']);
    const plain = stored({ at: 0, seq: 1, subject: 'a', body: 'not json', headers: [['Nats-Msg-Id', 'n-1']] });
    assert.deepEqual([messageIdentity(plain).messageId, messageIdentity(plain).idSource], ['n-1', 'Nats-Msg-Id']);
  });

  it('each envelope id names its category', () => {
    const ids = ['command_id', 'event_id', 'saga_id', 'projection_id'].map((f) => messageIdentity(stored({ at: 0, seq: 1, subject: 'a', body: { [f]: 'i' } })).category);
    assert.deepEqual(ids, ['command', 'event', 'saga', 'projection']);
    const snapshot = messageIdentity(stored({ at: 0, seq: 1, subject: 'a', body: { aggregate_id: 'o-1', version: 4, state: {}, metadata: { ...meta('c', 'c'), message_id: 's-1' } } }));
    assert.deepEqual([snapshot.category, snapshot.messageId], ['snapshot', 's-1']);
  });

  it('correlation and causation come from metadata, else from the headers', () => {
    const fromMeta = messageIdentity(stored({ at: 0, seq: 1, subject: 'a', body: { event_id: 'e', metadata: meta('c-1', 'k-1') }, headers: [['X-Correlation-ID', 'c-h'], ['X-Causation-ID', 'k-h']] }));
    assert.deepEqual([fromMeta.correlationId, fromMeta.causationId], ['c-1', 'k-1']);
    const fromHeaders = messageIdentity(stored({ at: 0, seq: 1, subject: 'a', body: 'binary?', headers: [['X-Message-ID', 'm'], ['x-correlation-id', 'c-h'], ['X-Causation-ID', 'k-h']] }));
    assert.deepEqual([fromHeaders.messageId, fromHeaders.correlationId, fromHeaders.causationId, fromHeaders.isRoot], ['m', 'c-h', 'k-h', false]);
  });

  it('a root has no causation id or its own id as causation id', () => {
    assert.equal(messageIdentity(stored({ at: 0, seq: 1, subject: 'a', body: { command_id: 'k', metadata: meta('k', 'k') } })).isRoot, true);
    assert.equal(messageIdentity(stored({ at: 0, seq: 1, subject: 'a', body: { command_id: 'k', metadata: meta('k') } })).isRoot, true);
    assert.equal(messageIdentity(stored({ at: 0, seq: 1, subject: 'a', body: { command_id: 'k', metadata: meta('c', 'e') } })).isRoot, false);
  });
});
