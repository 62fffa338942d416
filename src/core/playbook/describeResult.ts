// A block's result in words, said once for the CLI and the editor: what happened first, how serious it is, and the
// indented lines of a reply or of collected messages.
import { formatCount } from '../text/format';
import type { BlockResult } from './results';

export interface ResultWords {
  /** How the editor shows it: a failure is an error, a message not kept or not confirmed a warning. */
  severity: 'info' | 'warning' | 'error';
  /** One line, the outcome first: "not kept: …", "stored in …", "failed: …". */
  line: string;
  /** Indented lines: a reply's headers and payload, a SUB's messages. */
  details: string[];
}

export interface DescribeOptions {
  /** Said after a declined confirmation, e.g. the CLI's "Pass --yes to publish to production subjects." */
  declinedHint?: string;
  /** A reply's or a collected message's payload is cut at this many characters; 4,000 by default. */
  shownText?: number;
}

const SHOWN_TEXT = 4_000;

export function describeResult(r: BlockResult, options: DescribeOptions = {}): ResultWords {
  const shown = options.shownText ?? SHOWN_TEXT;
  const words = (severity: ResultWords['severity'], line: string, details: string[] = []): ResultWords => ({ severity, line, details });
  switch (r.kind) {
    case 'stored': {
      const head = r.duplicate
        ? `duplicate in ${r.stream}, seq ${r.seq}: the stream already held Nats-Msg-Id ${r.msgID ?? ''} inside its duplicate window and stored nothing new`
        : `stored in ${r.stream}, seq ${r.seq}${r.msgID ? ` (Nats-Msg-Id ${r.msgID})` : ''}`;
      return words('info', head);
    }
    case 'not-kept':
      return words('warning', `not kept: ${r.reason}`);
    case 'sent-core':
      return words('warning', `sent. ${r.warning}`);
    case 'sent-unacknowledged':
      return words('warning', r.reason);
    case 'reply':
      return words('info', `reply in ${r.ms} ms`, [...Object.entries(r.headers).map(([k, v]) => `  ${k}: ${v.join(', ')}`), ...indent(r.data, '  ', shown)]);
    case 'failed':
      return words('error', `failed: ${r.reason}`);
    case 'invalid':
      return words('error', `not sent: ${r.reason}`);
    case 'declined':
      return words('info', options.declinedHint ? `${r.reason} ${options.declinedHint}` : r.reason);
    case 'changed':
      return words('warning', `not sent: ${r.reason}`);
    case 'skipped-sub':
      return words('info', `not collected (SUB ${r.pattern})`);
    case 'messages': {
      const n = r.messages.length + r.more;
      return words('info', `${formatCount(n)} message${n === 1 ? '' : 's'} on ${r.pattern}${r.more ? ` (the first ${formatCount(r.messages.length)} shown)` : ''}`,
        r.messages.flatMap(m => [`  ${m.subject}`, ...indent(m.data, '    ', shown)]));
    }
    case 'repeated': {
      const s = r.summary;
      const parts = [`${formatCount(s.stored)} stored`, `${formatCount(s.duplicates)} duplicates`, `${formatCount(s.failed)} failed`];
      if (s.notKept) parts.unshift(`${formatCount(s.notKept)} not kept (no consumer of the interest stream was interested)`);
      if (s.sentCore) parts.push(`${formatCount(s.sentCore)} sent on core NATS (nothing stores them)`);
      if (s.unacknowledged) parts.push(`${formatCount(s.unacknowledged)} sent without acknowledgement`);
      if (s.replies) parts.push(`${formatCount(s.replies)} replies`);
      const severity = s.failed > 0 ? 'error' : s.notKept || s.unacknowledged || r.reason ? 'warning' : 'info';
      return words(severity, `${formatCount(r.sent)} of ${formatCount(r.count)} sent: ${parts.join(', ')}${r.reason ? `. ${r.reason}` : ''}`);
    }
  }
}

/** A not-kept result's reason: the stream, why it kept nothing, and what to do. */
export function notKeptReason(stream: string, seq: number): string {
  return `${stream} is an interest stream and no consumer is interested, so the server acknowledged the message${seq > 0 ? ` (seq ${seq})` : ''} and dropped it; start the consumer that handles these messages, then publish again.`;
}

function indent(text: string, by: string, shown: number): string[] {
  const cut = text.length > shown ? `${text.slice(0, shown)}… (${formatCount(text.length)} characters)` : text;
  return cut.split(/\r?\n/).map(l => `${by}${l}`);
}
