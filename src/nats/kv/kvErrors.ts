// Key-value failures as the user's sentence: a compare-and-set conflict (with their value, for a diff), a value over
// the bucket's limit, a key the client or server refuses, a missing bucket; the rest (permissions, timeouts, the
// server gone) through the session's translation.
import type { NatsSession } from '../connection/connect';
import { API, apiCode } from '../errors/apiCodes';
import { NatsUserError } from '../errors/sentences';
import { keyPatternProblem, keyProblem } from '../../core/kv/valueText';
import type { KvValue } from './entries';

export interface KvContext {
  /** What was being done: `saving orders.17 in bucket CONFIG`. */
  action: string;
  bucket: string;
  key?: string;
  /** A value's size, for a refusal of its size. */
  size?: number;
  /** The bucket's max value size, when read after such a refusal. */
  maxValueSize?: number;
}

/** The key changed since the revision the edit started from: nothing was written. */
export class KvConflictError extends NatsUserError {
  constructor(message: string, readonly expected: number, readonly current: KvValue | null, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KvConflictError';
  }
}

/** A bucket that does not exist: named, and how to make it. */
export function missingBucket(session: NatsSession, bucket: string, cause?: unknown): NatsUserError {
  return new NatsUserError(`Bucket ${bucket} does not exist on ${session.server}: create it first (Create Bucket…) or check the name.`, { cause });
}

/** The error as one sentence about the bucket or key. */
export function kvError(session: NatsSession, e: unknown, ctx: KvContext): Error {
  if (e instanceof NatsUserError) return e;
  const code = apiCode(e);
  const message = e instanceof Error ? e.message : String(e);
  if (code === API.STREAM_NOT_FOUND || /stream not found/i.test(message)) return missingBucket(session, ctx.bucket, e);
  if (code === API.MSG_SIZE_EXCEEDED || /MAX_PAYLOAD_EXCEEDED|message size exceeds/i.test(message)) {
    const size = ctx.size !== undefined ? ` (${ctx.size} bytes)` : '';
    // the server measures the whole message against max_msg_size: the key's subject and the headers count too
    const limit = /MAX_PAYLOAD/i.test(message) ? `the server's max payload of ${session.nc.info?.max_payload ?? '?'} bytes`
      : `bucket ${ctx.bucket}'s max value size${ctx.maxValueSize !== undefined && ctx.maxValueSize > 0 ? ` (${ctx.maxValueSize} bytes, key and headers included)` : ''}`;
    return new NatsUserError(`The value${ctx.key ? ` of ${ctx.key}` : ''}${size} is over ${limit}: store a smaller value, or raise the bucket's max value size (Edit Bucket…).`, { cause: e });
  }
  const badKey = /^invalid key: (.*)$/s.exec(message)?.[1];
  if (badKey !== undefined) {
    const problem = /[*>]/.test(badKey) ? keyPatternProblem(badKey) : keyProblem(badKey);
    return new NatsUserError(problem ?? `"${badKey}" is not a valid key: use letters, digits and - / _ = . only.`, { cause: e });
  }
  if (/invalid bucket name/i.test(message)) return new NatsUserError(`"${ctx.bucket}" is not a valid bucket name: use letters, digits, - and _ only.`, { cause: e });
  return new NatsUserError(session.describe(e, { action: ctx.action, stream: `KV_${ctx.bucket}` }), { cause: e });
}

/** Whether a publish was refused because the key's last revision was not the one expected. */
export function isWrongRevision(e: unknown): boolean {
  return apiCode(e) === API.WRONG_LAST_SEQUENCE;
}
