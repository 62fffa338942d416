// cim-subject's message identity rules: a root starts its own conversation, a derived message joins its parent's.
import type { EnvelopeMetadata, ParentMessage } from './types';

export const DEFAULT_SOURCE = 'cim-nats';

/** Root: correlation = causation = own id. Derived: the parent's correlation, caused by the parent's id. */
export function messageIdentity(messageId: string, parent?: ParentMessage): Pick<EnvelopeMetadata, 'correlation_id' | 'causation_id'> {
  return parent
    ? { correlation_id: parent.correlation_id, causation_id: parent.message_id }
    : { correlation_id: messageId, causation_id: messageId };
}

export function envelopeMetadata(messageId: string, source: string, parent?: ParentMessage): EnvelopeMetadata {
  return { ...messageIdentity(messageId, parent), source };
}
