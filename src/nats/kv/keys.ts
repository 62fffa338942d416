// A bucket's keys without their values: one headers-only watch of the keys' last revisions (revision, time,
// operation, size), cut at a page bound. The first entry carries how many keys match; a match with no entry at once
// is counted by the server, so an empty match is known without waiting.
import { KvWatchInclude, type KvWatchEntry } from '@nats-io/kv';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { ConsumerLease } from '../read/lease';
import { keyPatternProblem } from '../../core/kv/valueText';
import { KV_STREAM_PREFIX } from './buckets';
import { kvValueOf, openBucket, type KvValue } from './entries';
import { kvError } from './kvErrors';

export interface KeyListOptions {
  /** Keys matching this pattern (`orders.>`, `*.eu`); all by default. */
  pattern?: string;
  /** At most this many rows (default 200). */
  limit?: number;
  /** Show deleted and purged keys too (their last revision is a marker). */
  includeDeleted?: boolean;
}

export interface KeyListing {
  /** The rows, by key. */
  keys: KvValue[];
  /** Keys matching the pattern the server holds, deleted ones included (each has a last revision). */
  matching: number;
  /** Deleted keys read and left out. */
  hiddenDeleted: number;
  /** Whether every matching key was read (false: more with a larger limit). */
  complete: boolean;
}

export const DEFAULT_KEY_PAGE = 200;

/** Counts the keys a pattern matches (one counting consumer, deleted at once). */
export async function countKeys(session: NatsSession, bucket: string, pattern = '>'): Promise<number> {
  const lease = new ConsumerLease(session, `${KV_STREAM_PREFIX}${bucket}`, 'count');
  try {
    const { info, removed } = await lease.probe({ deliver_policy: 'last_per_subject' as never, ack_policy: 'none' as never, filter_subject: `$KV.${bucket}.${pattern}` });
    void removed.catch(() => undefined);
    return info.num_pending;
  } finally {
    await lease.close().catch(() => undefined);
  }
}

const FIRST_ENTRY_MS = 250;
const IDLE_MS = 3_000;

/** An iterator read with a patience: `next(ms)` is its next entry, or `idle` when none comes within `ms` (the entry
 * asked for is kept for the next call, never asked for twice). */
class PatientReader<T> {
  private pending: Promise<IteratorResult<T>> | undefined;
  constructor(private readonly it: AsyncIterator<T>) {}

  async next(ms: number): Promise<IteratorResult<T> | 'idle'> {
    this.pending ??= this.it.next();
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<'idle'>(resolve => {
      timer = setTimeout(() => resolve('idle'), ms);
    });
    try {
      const r = await Promise.race([this.pending, idle]);
      if (r !== 'idle') this.pending = undefined;
      return r;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The keys' last revisions, without values, bounded by `limit`. */
export async function listKeys(session: NatsSession, bucket: string, options: KeyListOptions = {}): Promise<KeyListing> {
  const pattern = options.pattern?.trim() || '>';
  const problem = keyPatternProblem(pattern);
  if (problem) throw new NatsUserError(problem);
  const limit = Math.max(1, options.limit ?? DEFAULT_KEY_PAGE);
  const action = `listing the keys of bucket ${bucket}`;
  try {
    const kv = await openBucket(session, bucket);
    const iter = await kv.watch({ key: pattern, headers_only: true, include: KvWatchInclude.LastValue });
    const it = iter[Symbol.asyncIterator]();
    const reader = new PatientReader(it);
    const keys: KvValue[] = [];
    let hiddenDeleted = 0;
    let read = 0;
    let matching = 0;
    let complete = false;
    try {
      // the first entry says how many keys match (pending after it, plus it); none within a moment: count them, which
      // settles an empty match without waiting (a count costs as much as the watch's own, so only then)
      let next = await reader.next(FIRST_ENTRY_MS);
      if (next === 'idle') {
        if ((await countKeys(session, bucket, pattern)) === 0) return { keys: [], matching: 0, hiddenDeleted: 0, complete: true };
        next = await reader.next(IDLE_MS);
      }
      if (next === 'idle' || next.done) return { keys, matching, hiddenDeleted, complete: true };
      const take = (e: KvWatchEntry): boolean => {
        read++;
        if (e.operation !== 'PUT' && !options.includeDeleted) hiddenDeleted++;
        else keys.push(kvValueOf(e, false));
        // pending 0: the last key there was when the watch began (later writes are not this listing's)
        if (e.delta === 0 || read >= matching) {
          complete = true;
          return false;
        }
        return keys.length < limit;
      };
      matching = (next.value.delta ?? 0) + 1;
      if (take(next.value)) {
        // a key purged meanwhile leaves fewer to come than counted: a pause of IDLE_MS ends the list (one watchdog,
        // not a timer per key)
        let seen = Date.now();
        let stalled = false;
        const watchdog = setInterval(() => {
          if (Date.now() - seen < IDLE_MS) return;
          stalled = true;
          iter.stop();
        }, IDLE_MS / 3);
        try {
          // the same iterator the first entry came from (the reader holds no entry now)
          for (let r = await it.next(); !r.done; r = await it.next()) {
            seen = Date.now();
            if (!take(r.value)) break;
          }
        } finally {
          clearInterval(watchdog);
        }
        if (stalled) complete = true;
      }
    } finally {
      iter.stop();
    }
    keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { keys, matching, hiddenDeleted, complete };
  } catch (e) {
    throw kvError(session, e, { action, bucket });
  }
}
