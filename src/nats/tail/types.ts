// What a tail is started with and what it gives back: where it starts, its bounds, its counts, its session.
import type { FormatOptions } from '../../core/message/format';
import type { ViewedMessage } from '../../core/message/types';

export type TailFrom = { last: number } | { since: Date } | { seq: number };

export interface TailFormatOptions extends FormatOptions {
  /** `block` (default): the formatter's text block per message, a blank line after it. `jsonl`: one export line each. */
  style?: 'block' | 'jsonl';
}

export interface TailStats {
  /** Messages the tail took in. */
  received: number;
  /** Formatted and handed to `onBatch`. */
  shown: number;
  /** Dropped unformatted because the queue overflowed (or left when the tail stopped). */
  skipped: number;
  /** Waiting for a batch: received = shown + skipped + queued. */
  queued: number;
  /** Messages received per second, over about the last second. */
  ratePerSec: number;
  /** The stream sequence of the last message taken in (stream-backed tails). */
  lastSeq?: number;
}

export interface TailOptions {
  /** A subject or pattern (`*`, `>`). */
  pattern: string;
  /** Start in the past (the stream that stores every subject of the pattern is found); absent: live only. */
  from?: TailFrom;
  format?: TailFormatOptions;
  /** Warnings shown under a message (block style), e.g. `envelopeChecker(algebra, definitions)`. */
  checkEnvelopes?: (subject: string, data: Uint8Array) => string[];
  /** How often a batch is handed over (100 ms). */
  batchIntervalMs?: number;
  /** Lines one batch holds at most (1,000); a longer message is cut, saying so. */
  maxBatchLines?: number;
  /** Messages one batch formats at most (250). */
  maxBatchMessages?: number;
  /** Messages kept waiting at most (10,000); beyond it the oldest are dropped, counted and said. */
  maxQueuedMessages?: number;
  onBatch(lines: string[], stats: TailStats): void;
  /** Each message as it is shown, before its lines reach `onBatch` (e.g. to keep the last few for "copy as a PUB block"). */
  onMessage?(message: ViewedMessage): void;
  /** Sentences about the tail itself: the server gone and back, an interest stream, the end. */
  onStatus?(sentence: string): void;
}

export interface TailSession {
  readonly pattern: string;
  /** Fed by an ordered consumer on `stream`: after an outage it goes on where it was, nothing lost or repeated. */
  readonly streamBacked: boolean;
  /** The stream the past was read from. */
  readonly stream: string | undefined;
  stats(): TailStats;
  /** Stops the tail; resolves once what it created on the server (its consumer) is deleted. Idempotent. */
  stop(): Promise<void>;
  /** Resolves once the tail has ended, with the sentence why (stopped, the connection closed, the stream deleted). */
  readonly closed: Promise<string>;
}
