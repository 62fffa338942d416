// A stream near its limits (max_msgs, max_bytes, max_age): with discard old it is dropping its oldest messages, with
// discard new it is about to refuse publishes.
import { formatBytes, formatCount, formatNanos } from '../text/format';

export interface StreamLimitsInput {
  name: string;
  messages: number;
  bytes: number;
  /** The first stored message's time (ms), for max_age. */
  firstStoredAt?: number;
  /** -1 or 0: no limit (JetStream's config values). */
  maxMsgs: number;
  maxBytes: number;
  /** Nanoseconds; 0 is no limit. */
  maxAgeNs: number;
  discard: 'old' | 'new';
}

export interface LimitUse {
  limit: 'messages' | 'bytes' | 'age';
  used: number;
  max: number;
  /** used / max. */
  ratio: number;
}

/** The limits used to `threshold` (0.9 = 90 %) or beyond, at time `now` (ms). */
export function nearLimits(s: StreamLimitsInput, now: number, threshold = 0.9): LimitUse[] {
  const out: LimitUse[] = [];
  const check = (limit: LimitUse['limit'], used: number, max: number) => {
    if (max > 0 && used / max >= threshold) out.push({ limit, used, max, ratio: used / max });
  };
  check('messages', s.messages, s.maxMsgs);
  check('bytes', s.bytes, s.maxBytes);
  if (s.firstStoredAt !== undefined && s.messages > 0) check('age', Math.max(0, now - s.firstStoredAt) * 1e6, s.maxAgeNs);
  return out;
}

/** One sentence for the tooltip and the dashboard: how full, and what the stream does about it. */
export function limitSentence(s: Pick<StreamLimitsInput, 'name' | 'discard'>, use: LimitUse): string {
  const pct = `${Math.min(100, Math.round(use.ratio * 100))} %`;
  const what = use.limit === 'messages'
    ? `${formatCount(use.used)} of max_msgs ${formatCount(use.max)}`
    : use.limit === 'bytes'
      ? `${formatBytes(use.used)} of max_bytes ${formatBytes(use.max)}`
      : `its oldest message is ${formatNanos(Math.round(use.used / 1e9) * 1e9)} old, max_age ${formatNanos(use.max)}`;
  if (use.limit === 'age') return `${s.name} is at ${pct} of its age limit (${what}): older messages are removed as they pass it.`;
  const effect = s.discard === 'new' ? 'at the limit new publishes are refused (discard new)' : 'at the limit the oldest messages are dropped (discard old)';
  return `${s.name} is at ${pct} of its ${use.limit} limit (${what}): ${effect}.`;
}
