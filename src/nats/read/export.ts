// Export a stream's messages as JSON lines (CIM-Start's backup), on every stream kind, taking nothing away and
// leaving no consumer behind: a scan whose every message becomes one line.
import { messageAsJsonLine } from '../../core/message/format';
import type { NatsSession } from '../connection/connect';
import { scanMessages, type ScanOptions } from './scan';

export interface ExportOptions extends Omit<ScanOptions, 'onMessage' | 'onProgress' | 'until'> {
  /** After each message: how many were written, and how many the export expects (an estimate with a filter or bounds). */
  onProgress?: (count: number, total: number | undefined) => void;
  /** Called with each JSON line (no line break), in stream order; the next message waits for its promise. */
  write: (line: string) => Promise<void> | void;
}

export interface ExportResult {
  exported: number;
  /** The sequences of the first and last message exported; 0 when none was. */
  firstSeq: number;
  lastSeq: number;
}

/**
 * Writes the stream's messages, in order, as `messageAsJsonLine` lines through `write`, holding a few MB at most.
 * Failures are `NatsUserError`s; a cancelled export rejects with the signal's reason; an error thrown by `write`
 * passes through.
 */
export async function exportMessages(session: NatsSession, options: ExportOptions): Promise<ExportResult> {
  const { write, onProgress, ...scan } = options;
  let total: number | undefined;
  let count = 0;
  const result = await scanMessages(session, {
    ...scan,
    onProgress: (_scanned, t) => {
      total = t;
    },
    onMessage: m => {
      const written = write(messageAsJsonLine(m));
      return written instanceof Promise ? written.then(() => void onProgress?.(++count, total)) : void onProgress?.(++count, total);
    },
  });
  return { exported: result.scanned, firstSeq: result.firstSeq, lastSeq: result.lastSeq };
}
