// What running a playbook block can come to: data the runner returns and the CLI and the editor put into words.
import type { Problem } from '../problem';
import type { PlaybookBlock, Verb } from './types';

export type SendResult =
  /** A stream acknowledged it and keeps it; `duplicate` when its Nats-Msg-Id was already in the stream's duplicate window. */
  | { kind: 'stored'; subject: string; stream: string; seq: number; duplicate: boolean; msgID?: string }
  /** An interest stream acknowledged it and kept nothing: no consumer was interested in it. */
  | { kind: 'not-kept'; subject: string; stream: string; seq: number; msgID?: string; reason: string }
  /** No stream captures the subject: the server received it (confirmed by a round trip) and nothing keeps it. */
  | { kind: 'sent-core'; subject: string; warning: string }
  /** Published, but the acknowledgement could not come back (no subscribe permission on the reply inbox): most likely stored. */
  | { kind: 'sent-unacknowledged'; subject: string; msgID?: string; reason: string }
  | { kind: 'reply'; subject: string; headers: Record<string, string[]>; data: string; ms: number }
  /** Not sent, or not known to have arrived: never counted as sent. */
  | { kind: 'failed'; subject?: string; reason: string; error?: unknown };

export interface CollectedMessage {
  subject: string;
  headers?: Record<string, string[]>;
  /** The payload as UTF-8 text, cut at `MAX_COLLECTED_TEXT` characters. */
  data: string;
  truncated?: boolean;
}

/** The block has errors (parser, undefined variable, JSON, subject): nothing was sent. */
export interface InvalidBlock {
  kind: 'invalid';
  reason: string;
  problems: Problem[];
}

export type BlockResult =
  | SendResult
  | InvalidBlock
  /** `confirm` said no to a production subject or a protected connection. */
  | { kind: 'declined'; subject: string; reason: string }
  /** The block a Publish lens was drawn for is no longer what the document holds there: nothing was sent. */
  | { kind: 'changed'; reason: string }
  /** A SUB block run without `forMs`: tails are someone else's. */
  | { kind: 'skipped-sub'; pattern: string }
  /** A SUB block run for `forMs`: what arrived, at most `maxMessages`; `more` counts the ones left out. */
  | { kind: 'messages'; pattern: string; messages: CollectedMessage[]; more: number }
  | RepeatResult;

export interface RepeatSummary {
  /** New messages a stream acknowledged and keeps. */
  stored: number;
  duplicates: number;
  /** Acknowledged by an interest stream that kept nothing (no consumer was interested). */
  notKept: number;
  failed: number;
  sentCore: number;
  unacknowledged: number;
  replies: number;
}

export interface RepeatResult {
  kind: 'repeated';
  verb: 'PUB' | 'REQ';
  count: number;
  /** Sends that are known to have reached the server (stored, duplicates, not kept, core, unacknowledged, replies). */
  sent: number;
  summary: RepeatSummary;
  /** Why the repeat stopped before `count`, or why it was not clean: one sentence. */
  reason?: string;
  /** The first failure, when there was one; the last result otherwise. */
  last?: SendResult;
}

export interface SendProgress {
  /** Sends finished so far, and the planned number. */
  done: number;
  total: number;
  result: SendResult;
}

export interface PlaybookEntry {
  block: PlaybookBlock;
  index: number;
  result: BlockResult;
}

export interface PlaybookRun {
  entries: PlaybookEntry[];
  /** Every selected block ran, every send is confirmed and every stored message is kept. */
  ok: boolean;
}

/** A block resolved for one send: every variable and built-in worked out once. */
export interface PreparedSend {
  verb: Verb;
  subject: string;
  headers: { name: string; value: string }[];
  body?: string;
  /** Nats-Msg-Id: the block's header, else the subject's event id when its category ends in one. */
  msgID?: string;
  /** REQ's `timeout=`. */
  timeoutMs?: number;
}

/** True when a block's result means everything was sent, confirmed and kept (a SUB that collected counts). */
export function isOk(result: BlockResult): boolean {
  switch (result.kind) {
    case 'stored':
    case 'sent-core':
    case 'reply':
    case 'messages':
    case 'skipped-sub':
      return true;
    case 'repeated':
      return result.reason === undefined && result.summary.failed === 0 && result.summary.unacknowledged === 0 && result.summary.notKept === 0;
    default:
      return false;
  }
}

/** The streams a result says something was published to: what the explorer re-reads after it. */
export function streamsOf(result: BlockResult): string[] {
  switch (result.kind) {
    case 'stored':
    case 'not-kept':
      return [result.stream];
    case 'repeated':
      return result.last ? streamsOf(result.last) : [];
    default:
      return [];
  }
}

/** True when the result may have changed what a server holds (something reached it). */
export function reachedServer(result: BlockResult): boolean {
  switch (result.kind) {
    case 'stored':
    case 'not-kept':
    case 'sent-core':
    case 'sent-unacknowledged':
      return true;
    case 'repeated':
      return result.verb === 'PUB' && result.sent > 0;
    default:
      return false;
  }
}
