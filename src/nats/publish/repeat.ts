// `repeat=N interval=D`: the same block sent N times, each with fresh built-ins, counted as it goes.
import type { InvalidBlock, Playbook, PlaybookBlock, PreparedSend, RepeatResult, RepeatSummary, SendProgress, SendResult } from '../../core/playbook';
import { formatCount } from '../../core/text/format';
import type { NatsSession } from '../connection/connect';
import { sleep } from './sendHelpers';

/** What a repeat needs of the runner. */
export interface RepeatHost {
  readonly session: NatsSession;
  isConnected(): boolean;
  prepare(playbook: Playbook, block: PlaybookBlock): PreparedSend | InvalidBlock;
  send(message: PreparedSend, options: { signal?: AbortSignal; waitForConnectionMs?: number }): Promise<SendResult>;
}

export interface RepeatOptions {
  signal?: AbortSignal;
  onProgress?: (progress: SendProgress) => void;
  /** Repeats without an interval: sends kept in flight at once; 1 by default. */
  inFlight?: number;
}

export async function repeatSends(host: RepeatHost, playbook: Playbook, block: PlaybookBlock, first: PreparedSend, repeat: { count: number; intervalMs: number }, options: RepeatOptions): Promise<RepeatResult> {
  const total = repeat.count;
  const summary: RepeatSummary = { stored: 0, duplicates: 0, notKept: 0, failed: 0, sentCore: 0, unacknowledged: 0, replies: 0 };
  const inFlight = repeat.intervalMs > 0 ? 1 : Math.max(1, Math.min(options.inFlight ?? 1, 4096));
  // A window of sends in flight: a slot freed wakes the loop (Promise.race over the window would cost O(window) per send).
  let pending = 0;
  let wake: (() => void) | undefined;
  const freed = () => {
    pending--;
    const w = wake;
    wake = undefined;
    w?.();
  };
  let done = 0;
  let stop: string | undefined;
  let firstFailure: SendResult | undefined;
  let last: SendResult | undefined;
  const sentSoFar = () => summary.stored + summary.duplicates + summary.notKept + summary.sentCore + summary.unacknowledged + summary.replies;
  const tally = (r: SendResult) => {
    done++;
    last = r;
    switch (r.kind) {
      case 'stored':
        if (r.duplicate) summary.duplicates++;
        else summary.stored++;
        break;
      case 'not-kept': summary.notKept++; break;
    case 'sent-core': summary.sentCore++; break;
      case 'sent-unacknowledged': summary.unacknowledged++; break;
      case 'reply': summary.replies++; break;
      case 'failed':
        summary.failed++;
        firstFailure ??= r;
        break;
    }
    try {
      options.onProgress?.({ done, total, result: r });
    } catch {
      // a failing progress callback (a closed view) must not lose the count of what was sent
    }
  };
  const sendOptions = { ...(options.signal ? { signal: options.signal } : {}), waitForConnectionMs: 0 };
  const gone = () => `${host.session.server} went away after ${formatCount(sentSoFar())} of ${formatCount(total)} sends: the rest were not sent.`;
  for (let i = 0; i < total; i++) {
    if (options.signal?.aborted) {
      stop = `Cancelled after ${formatCount(sentSoFar())} of ${formatCount(total)} sends: the rest were not sent.`;
      break;
    }
    if (firstFailure) break;
    if (!host.isConnected()) {
      stop = gone();
      break;
    }
    // Fresh built-ins for every send: a new {{uuid}}, so a new event id and Nats-Msg-Id.
    const prepared = i === 0 ? first : host.prepare(playbook, block);
    if ('kind' in prepared) {
      tally({ kind: 'failed', reason: prepared.reason });
      break;
    }
    pending++;
    void host.send(prepared, sendOptions).then(
      r => {
        freed();
        tally(r);
      },
      (e: unknown) => {
        freed();
        tally({ kind: 'failed', subject: prepared.subject, reason: host.session.describe(e), error: e });
      });
    while (pending >= inFlight) await new Promise<void>(resolve => (wake = resolve));
    if (repeat.intervalMs > 0 && i < total - 1 && !firstFailure) await sleep(repeat.intervalMs, options.signal);
  }
  while (pending > 0) await new Promise<void>(resolve => (wake = resolve));
  if (!stop && firstFailure) {
    const f = firstFailure as Extract<SendResult, { kind: 'failed' }>;
    stop = !host.isConnected() ? gone() : `Stopped after ${formatCount(sentSoFar())} of ${formatCount(total)} sends: ${f.reason}`;
  }
  const result: RepeatResult = { kind: 'repeated', verb: block.verb === 'REQ' ? 'REQ' : 'PUB', count: total, sent: sentSoFar(), summary };
  if (stop) result.reason = stop;
  const shown = firstFailure ?? last;
  if (shown) result.last = shown;
  return result;
}
