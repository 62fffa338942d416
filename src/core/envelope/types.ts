// The JSON bodies CIM-Start publishes per category, field for field and in its order.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The identity every message carries (cim-subject's rules), next to where it came from. */
export interface EnvelopeMetadata {
  correlation_id: string;
  causation_id: string;
  source: string;
}

/** A snapshot's subject ends in the aggregate's id, so its own message id travels here. */
export interface SnapshotMetadata extends EnvelopeMetadata {
  message_id: string;
}

export interface DomainEventEnvelope {
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  domain: string;
  timestamp: string;
  version: number;
  data: JsonObject;
  metadata: EnvelopeMetadata;
}

export interface CommandEnvelope {
  command_id: string;
  command_type: string;
  aggregate_type: string;
  domain: string;
  timestamp: string;
  data: JsonObject;
  metadata: EnvelopeMetadata;
}

export interface QueryEnvelope {
  query_id: string;
  query_type: string;
  aggregate_type: string;
  domain: string;
  timestamp: string;
  data: JsonObject;
  metadata: EnvelopeMetadata;
}

export interface ProjectionEnvelope {
  projection_id: string;
  view_name: string;
  operation: string;
  timestamp: string;
  data: JsonObject;
  metadata: EnvelopeMetadata;
}

export interface SagaEnvelope {
  saga_id: string;
  process_name: string;
  event_type: string;
  timestamp: string;
  data: JsonObject;
  metadata: EnvelopeMetadata;
}

export interface SnapshotEnvelope {
  aggregate_id: string;
  aggregate_type: string;
  domain: string;
  version: number;
  timestamp: string;
  state: JsonObject;
  metadata: SnapshotMetadata;
}

/** For a subject outside every category; metadata only when a parent has to be remembered. */
export interface MinimalEnvelope {
  id: string;
  timestamp: string;
  data: JsonObject;
  metadata?: EnvelopeMetadata;
}

export type SampleEnvelope =
  | DomainEventEnvelope
  | CommandEnvelope
  | QueryEnvelope
  | ProjectionEnvelope
  | SagaEnvelope
  | SnapshotEnvelope
  | MinimalEnvelope;

/** The parent a derived message follows: what its envelope or headers said. */
export interface ParentMessage {
  message_id: string;
  correlation_id: string;
}
