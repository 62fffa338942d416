// Purging, counting and consumer changes on a stream, in the user's terms; each refusal a sentence.
import { AckPolicy, DeliverPolicy, type ConsumerConfig, type ConsumerInfo } from '@nats-io/jetstream';
import { natsNameProblem } from '../../core/names/natsNames';
import { meetWithin, subset } from '../../core/pattern/lattice';
import { isValidPattern } from '../../core/pattern/tokens';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { versionAtLeast } from '../explorer/jsApi';
import { ConsumerLease } from '../read/lease';

/**
 * How many messages of `stream` match `filter`, from a filtered consumer's pending count (created, read, deleted at
 * once: it takes nothing). Undefined when the server refuses such a consumer (a work-queue stream whose subjects
 * another consumer already claims).
 */
export async function countMatching(session: NatsSession, stream: string, filter: string): Promise<number | undefined> {
  // No JetStream (or no permission for it) is the session's sentence, not "cannot count".
  await session.jetstreamManager();
  const lease = new ConsumerLease(session, stream, 'count');
  try {
    const { info, removed } = await lease.probe({ filter_subject: filter, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All });
    await removed;
    return info.num_pending;
  } catch {
    return undefined;
  } finally {
    await lease.close();
  }
}

export interface PurgeOptions {
  /** Only messages whose subject matches (checked to be a pattern within the stream's subjects). */
  filter?: string;
  /** Keep this many of the newest messages (per subject when a filter is given). */
  keep?: number;
  /**
   * Purge no message after this sequence (without `keep`): the last one the user was shown when confirming, so a
   * message that arrives between the question and the purge is kept.
   */
  upTo?: number;
}

/** The one sentence that refuses a purge filter before it is sent, or undefined. */
export function purgeFilterProblem(filter: string, streamSubjects: readonly string[]): string | undefined {
  if (!isValidPattern(filter)) return `"${filter}" is not a subject or pattern (tokens split by dots; * and > only as whole tokens, > last).`;
  if (streamSubjects.length && !streamSubjects.some(s => subset(filter, s))) return `"${filter}" is not within the stream's subjects (${streamSubjects.join(', ')}): narrow it to a part of them.`;
  return undefined;
}

export async function purgeStream(session: NatsSession, stream: string, options: PurgeOptions = {}): Promise<number> {
  if (options.keep !== undefined && !(Number.isInteger(options.keep) && options.keep >= 0)) throw new NatsUserError(`Keep needs a whole number of messages, not ${options.keep}.`);
  try {
    const jsm = await session.jetstreamManager();
    const opts: { filter?: string; keep?: number; seq?: number } = {};
    if (options.filter) opts.filter = options.filter;
    if (options.keep !== undefined) {
      // nats-server 2.9 purges everything on `keep` when earlier purges left gaps (measured on 2.9.10):
      // purge below the sequence where the last N start instead
      if (versionAtLeast(session.nc.info?.version, 2, 10)) opts.keep = options.keep;
      else {
        const from = await startOfLast(session, stream, options.keep, options.filter);
        if (from === undefined) return 0;
        opts.seq = from;
      }
    }
    if (options.upTo !== undefined && options.keep === undefined) opts.seq = options.upTo + 1;
    const r = await jsm.streams.purge(stream, opts as Parameters<typeof jsm.streams.purge>[1]);
    return r.purged;
  } catch (e) {
    throw new NatsUserError(session.describe(e, { action: `purging ${stream}`, stream }), { cause: e });
  }
}

/** The sequence where the last `keep` (matching) messages start, by binary search on a probe consumer's pending count; undefined when there are no more than `keep`. */
async function startOfLast(session: NatsSession, stream: string, keep: number, filter?: string): Promise<number | undefined> {
  const jsm = await session.jetstreamManager();
  const { state } = await jsm.streams.info(stream);
  const lease = new ConsumerLease(session, stream, 'count');
  try {
    return await searchStartOfLast(state, keep, async seq => {
      const { info, removed } = await lease.probe({ ...(filter ? { filter_subject: filter } : {}), ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: seq });
      await removed;
      return info.num_pending;
    });
  } finally {
    await lease.close();
  }
}

async function searchStartOfLast(state: { first_seq: number; last_seq: number }, keep: number, pendingFrom: (seq: number) => Promise<number>): Promise<number | undefined> {
  if ((await pendingFrom(state.first_seq)) <= keep) return undefined;
  if (keep === 0) return state.last_seq + 1;
  // the largest seq from which at least `keep` messages remain
  let lo = state.first_seq;
  let hi = state.last_seq;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((await pendingFrom(mid)) >= keep) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface ConsumerDraft {
  durable: string;
  filter?: string;
  deliver: 'all' | 'last' | 'new' | 'by_start_sequence' | 'by_start_time';
  startSeq?: number;
  startTime?: Date;
  ack: 'explicit' | 'all' | 'none';
  maxDeliver?: number;
  /** Seconds. */
  ackWaitSeconds?: number;
  description?: string;
}

/** Every problem of a draft before sending, as sentences (empty when it may be sent). */
export function consumerDraftProblems(draft: ConsumerDraft, streamSubjects: readonly string[]): string[] {
  const out: string[] = [];
  const name = natsNameProblem(draft.durable, 'consumer');
  if (name) out.push(name);
  if (draft.filter) {
    if (!isValidPattern(draft.filter)) out.push(`"${draft.filter}" is not a subject or pattern.`);
    else if (streamSubjects.length && !streamSubjects.some(s => subset(draft.filter!, s))) out.push(filterOutsideStream(draft.filter, streamSubjects));
  }
  if (draft.deliver === 'by_start_sequence' && !(draft.startSeq && draft.startSeq > 0)) out.push('Deliver by start sequence needs a sequence above 0.');
  if (draft.deliver === 'by_start_time' && !(draft.startTime && !Number.isNaN(draft.startTime.getTime()))) out.push('Deliver by start time needs a time.');
  if (draft.maxDeliver !== undefined && !(Number.isInteger(draft.maxDeliver) && (draft.maxDeliver === -1 || draft.maxDeliver > 0))) out.push('Max deliver is a whole number above 0, or -1 for no limit.');
  if (draft.ackWaitSeconds !== undefined && !(draft.ackWaitSeconds > 0)) out.push('Ack wait is a number of seconds above 0.');
  return out;
}

/**
 * A filter not within its stream's subjects: what of it the stream can hold (its meet ⊓ with them) is the fix; only a
 * filter that meets none of them could never match. nats-server 2.9 refuses a filter reaching beyond the stream, 2.15
 * accepts any filter (measured), so this check is the one guard.
 */
function filterOutsideStream(filter: string, streamSubjects: readonly string[]): string {
  const subjects = streamSubjects.join(', ');
  const meets = meetWithin(filter, streamSubjects);
  if (meets.length === 0) return `The filter "${filter}" is not within the stream's subjects (${subjects}): it could never match.`;
  const sees = meets.length === 1 ? meets[0]! : `${meets.slice(0, -1).join(', ')} or ${meets[meets.length - 1]}`;
  // 2.9 accepts a wider filter only when it covers a subject of the stream whole (`a.>` on `a.*`)
  const servers = streamSubjects.some(s => subset(s, filter)) ? '' : ` (nats-server 2.9 refuses "${filter}"; 2.15 accepts it, and it still sees no more)`;
  return `The filter "${filter}" reaches beyond the stream's subjects (${subjects}): on this stream it can only ever see ${sees}. ` +
    `Use ${meets.length === 1 ? 'that' : 'one of them'} as the filter${servers}.`;
}

/** The JetStream config a draft sends (also shown to the user before creating). */
export function consumerConfig(draft: ConsumerDraft): Partial<ConsumerConfig> {
  return {
    durable_name: draft.durable,
    ...(draft.description ? { description: draft.description } : {}),
    ...(draft.filter ? { filter_subject: draft.filter } : {}),
    deliver_policy: draft.deliver as DeliverPolicy,
    ...(draft.deliver === 'by_start_sequence' ? { opt_start_seq: draft.startSeq } : {}),
    ...(draft.deliver === 'by_start_time' ? { opt_start_time: draft.startTime!.toISOString() } : {}),
    ack_policy: draft.ack as AckPolicy,
    ...(draft.maxDeliver !== undefined ? { max_deliver: draft.maxDeliver } : {}),
    ...(draft.ackWaitSeconds !== undefined ? { ack_wait: Math.round(draft.ackWaitSeconds * 1e9) } : {}),
  };
}

export async function createConsumer(session: NatsSession, stream: string, draft: ConsumerDraft, streamSubjects: readonly string[]): Promise<ConsumerInfo> {
  const problems = consumerDraftProblems(draft, streamSubjects);
  if (problems.length) throw new NatsUserError(problems[0]!);
  try {
    return await (await session.jetstreamManager()).consumers.add(stream, consumerConfig(draft));
  } catch (e) {
    throw new NatsUserError(session.describe(e, { action: `creating consumer ${draft.durable} on ${stream}`, stream }), { cause: e });
  }
}

/** The fields nats-server lets a consumer change in place. */
export interface ConsumerEdit {
  description?: string;
  maxDeliver?: number;
  ackWaitSeconds?: number;
  maxAckPending?: number;
}

export async function updateConsumer(session: NatsSession, stream: string, name: string, edit: ConsumerEdit): Promise<ConsumerInfo> {
  const update: Partial<ConsumerConfig> = {
    ...(edit.description !== undefined ? { description: edit.description } : {}),
    ...(edit.maxDeliver !== undefined ? { max_deliver: edit.maxDeliver } : {}),
    ...(edit.ackWaitSeconds !== undefined ? { ack_wait: Math.round(edit.ackWaitSeconds * 1e9) } : {}),
    ...(edit.maxAckPending !== undefined ? { max_ack_pending: edit.maxAckPending } : {}),
  };
  try {
    return await (await session.jetstreamManager()).consumers.update(stream, name, update);
  } catch (e) {
    throw new NatsUserError(session.describe(e, { action: `updating consumer ${name} of ${stream}`, stream }), { cause: e });
  }
}

/** Pauses (until a time, or for a year) or resumes a consumer; servers before 2.11 cannot, and say so. */
export async function setConsumerPaused(session: NatsSession, stream: string, name: string, paused: boolean, until?: Date): Promise<{ paused: boolean; until?: string }> {
  const version = session.nc.info?.version;
  if (!versionAtLeast(version, 2, 11)) {
    throw new NatsUserError(`Pausing a consumer needs nats-server 2.11 or newer; ${session.server} runs ${version ?? 'an older one'}: stop its clients instead, or upgrade the server.`);
  }
  try {
    const jsm = await session.jetstreamManager();
    const r = paused ? await jsm.consumers.pause(stream, name, until ?? new Date(Date.now() + 365 * 86_400_000)) : await jsm.consumers.resume(stream, name);
    return { paused: r.paused, ...(r.pause_until ? { until: r.pause_until } : {}) };
  } catch (e) {
    throw new NatsUserError(session.describe(e, { action: `${paused ? 'pausing' : 'resuming'} consumer ${name} of ${stream}`, stream }), { cause: e });
  }
}
