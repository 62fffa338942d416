// A SUB block run for a while: a core subscription that collects what arrives, bounded, then stops.
import type { BlockResult, CollectedMessage } from '../../core/playbook';
import type { NatsSession } from '../connection/connect';
import { headersOf, sleep } from './sendHelpers';

export interface CollectOptions {
  signal?: AbortSignal;
  /** Collect for this long. */
  forMs?: number;
  /** Messages kept (the rest are counted); 100 by default. */
  maxMessages?: number;
}

const DEFAULT_MAX_MESSAGES = 100;
/** The CLI's and adapter's bound on SUB collection, whatever they ask for. */
const MAX_FOR_MS = 10 * 60_000;
export const MAX_COLLECTED_TEXT = 16 * 1024;

const decoder = new TextDecoder();

/** Subscribes at once (`subscribed` resolves when the server has the subscription) and collects for `forMs`. */
export function subscribeFor(session: NatsSession, pattern: string, options: CollectOptions, waitForConnection: (signal?: AbortSignal) => Promise<string | undefined>): { done: Promise<BlockResult>; subscribed: Promise<void> } {
  const forMs = Math.max(0, Math.min(options.forMs ?? 0, MAX_FOR_MS));
  const max = Math.max(0, options.maxMessages ?? DEFAULT_MAX_MESSAGES);
  const messages: CollectedMessage[] = [];
  let more = 0;
  let refused: unknown;
  const nc = session.nc;
  let markSubscribed!: () => void;
  const subscribed = new Promise<void>(resolve => (markSubscribed = resolve));
  const done = (async (): Promise<BlockResult> => {
    const down = await waitForConnection(options.signal);
    if (down) {
      markSubscribed();
      return { kind: 'failed', subject: pattern, reason: down };
    }
    let sub;
    try {
      sub = nc.subscribe(pattern, {
        callback: (err, m) => {
          if (err) {
            refused ??= err;
            return;
          }
          if (messages.length >= max) {
            more++;
            return;
          }
          const text = decoder.decode(m.data);
          const cut = text.length > MAX_COLLECTED_TEXT;
          messages.push({
            subject: m.subject, data: cut ? text.slice(0, MAX_COLLECTED_TEXT) : text,
            ...(m.headers ? { headers: headersOf(m.headers) } : {}), ...(cut ? { truncated: true } : {}),
          });
        },
      });
      await nc.flush();
    } catch (e) {
      markSubscribed();
      sub?.unsubscribe();
      return { kind: 'failed', subject: pattern, reason: session.describe(e, { subject: pattern, action: `subscribing to "${pattern}"` }), error: e };
    }
    markSubscribed();
    const closed = sub.closed.then(e => (e instanceof Error ? (refused ??= e) : undefined));
    await Promise.race([sleep(forMs, options.signal), closed]);
    if (!sub.isClosed()) sub.unsubscribe();
    if (refused) return { kind: 'failed', subject: pattern, reason: session.describe(refused, { subject: pattern }), error: refused };
    return { kind: 'messages', pattern, messages, more };
  })();
  return { done, subscribed };
}
