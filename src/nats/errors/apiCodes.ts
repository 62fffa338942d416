// The JetStream API error codes this extension acts on: one table, read by every room of src/nats.
import { JetStreamApiError } from '@nats-io/jetstream';

export const API = {
  /** jetstream not enabled for account */
  JETSTREAM_OFF_FOR_ACCOUNT: 10039,
  /** consumer not found */
  CONSUMER_NOT_FOUND: 10014,
  /** maximum consumers limit reached */
  CONSUMER_LIMIT: 10026,
  /** invalid stream config (many rules: only the description tells them apart) */
  STREAM_CONFIG_INVALID: 10052,
  /** message size exceeds maximum allowed */
  MSG_SIZE_EXCEEDED: 10054,
  /** stream name already in use with a different configuration */
  STREAM_NAME_IN_USE: 10058,
  /** stream not found */
  STREAM_NOT_FOUND: 10059,
  /** no message found (a message get by sequence past the last one, or none matching) */
  MESSAGE_NOT_FOUND: 10037,
  /** wrong last sequence (an expected-last-subject-sequence check failed: a key-value compare-and-set conflict) */
  WRONG_LAST_SEQUENCE: 10071,
  /** restore failed: {err} (e.g. an archive the server cannot read) */
  STREAM_RESTORE_FAILED: 10062,
  /** snapshot failed: {err} (nats-server 2.9: "no impl" for a memory stream) */
  STREAM_SNAPSHOT_FAILED: 10064,
  /** subjects overlap with an existing stream */
  STREAM_SUBJECT_OVERLAP: 10065,
  /** consumer filter subject is not a valid subset of the interest subjects (2.9) */
  FILTER_NOT_SUBSET: 10093,
  /** work-queue stream: multiple non-filtered consumers not allowed */
  WQ_MULTIPLE_UNFILTERED: 10099,
  /** work-queue stream: filtered consumer not unique */
  WQ_FILTER_NOT_UNIQUE: 10100,
  /** invalid operation on sealed stream (an object store or stream that was sealed) */
  STREAM_SEALED: 10109,
  /** restore: stream name already in use */
  RESTORE_NAME_IN_USE: 10130,
  /** filter_subjects overlap each other */
  FILTER_SUBJECTS_OVERLAP: 10138,
} as const;

/** The API error code of a JetStream error, or undefined for anything else. */
export function apiCode(e: unknown): number | undefined {
  return e instanceof JetStreamApiError ? e.code : undefined;
}
