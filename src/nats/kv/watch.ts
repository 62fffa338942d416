// A bucket or key pattern watched live: from now, or with the history the bucket keeps first. Each change is handed
// on as it comes (value included, cut at a bound); the watch ends on stop(), on the signal, or with the connection.
import { KvWatchInclude } from '@nats-io/kv';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { keyPatternProblem } from '../../core/kv/valueText';
import { kvValueOf, openBucket, type KvValue } from './entries';
import { kvError } from './kvErrors';

export interface KvWatchOptions {
  /** Keys matching this pattern; all by default. */
  pattern?: string;
  /** `now`: changes from now on; `history`: every revision the bucket keeps, then the changes. */
  from?: 'now' | 'history';
  /** Values longer than this are cut (default 4 KiB). */
  maxValueBytes?: number;
  signal?: AbortSignal;
}

export interface KvWatch {
  /** Resolves when the watch has ended, with why (`stopped`, or the sentence of the failure). */
  readonly ended: Promise<string>;
  stop(): void;
}

/** Starts the watch; `onChange` gets every revision (key, operation, revision, time and the value, cut). */
export async function watchKeys(session: NatsSession, bucket: string, onChange: (entry: KvValue & { cut: boolean }) => void, options: KvWatchOptions = {}): Promise<KvWatch> {
  const pattern = options.pattern?.trim() || '>';
  const problem = keyPatternProblem(pattern);
  if (problem) throw new NatsUserError(problem);
  const max = options.maxValueBytes ?? 4096;
  let iter: Awaited<ReturnType<Awaited<ReturnType<typeof openBucket>>['watch']>>;
  try {
    const kv = await openBucket(session, bucket);
    await kv.status();
    iter = await kv.watch({ key: pattern, include: options.from === 'history' ? KvWatchInclude.AllHistory : KvWatchInclude.UpdatesOnly });
  } catch (e) {
    throw kvError(session, e, { action: `watching ${pattern} in bucket ${bucket}`, bucket });
  }
  let why = 'stopped';
  const stop = () => iter.stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  const closed = session.nc.closed().then(() => {
    why = 'the connection closed';
    iter.stop();
  });
  void closed;
  const ended = (async () => {
    try {
      for await (const e of iter) {
        const v = kvValueOf(e, true);
        const cut = (v.value?.length ?? 0) > max;
        onChange({ ...v, ...(cut && v.value ? { value: v.value.subarray(0, max) } : {}), cut });
      }
    } catch (e) {
      why = kvError(session, e, { action: `watching ${pattern} in bucket ${bucket}`, bucket }).message;
    } finally {
      options.signal?.removeEventListener('abort', stop);
    }
    return why;
  })();
  return { ended, stop };
}
