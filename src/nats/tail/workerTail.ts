// A tail whose connection, queue and formatting live in a worker thread: a firehose is parsed there, and the thread
// that started it (the extension host) gets only the batches, a few messages each, and the counts. Same contract as
// `startTail`; the worker (tailWorker.ts) opens its own connection with the options it is given.
import { Worker } from 'node:worker_threads';
import type { Algebra } from '../../core/algebra/schema';
import type { DomainDefinition } from '../../core/domain/model';
import type { ViewedMessage } from '../../core/message/types';
import type { NatsConnectOptions } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import type { TailOptions, TailSession, TailStats } from './tail';

/** What the worker is started with: everything is data (no callbacks cross the thread). */
export interface WorkerTailInit {
  connect: NatsConnectOptions;
  tail: Omit<TailOptions, 'onBatch' | 'onMessage' | 'onStatus' | 'checkEnvelopes'>;
  /** The envelope warnings' inputs, compiled again in the worker. */
  envelopes?: { algebra: Algebra; definitions: readonly DomainDefinition[] };
  /** Shown messages handed back per batch at most, newest last (for "copy as a PUB block"); 0: none. */
  keepMessages: number;
  /** A handed-back message's payload above this many bytes comes back empty, its size kept. */
  keepPayloadBytes: number;
}

/** From the worker: its tail started or could not, a batch, a sentence, the counts, the end. */
export type FromWorker =
  | { type: 'started'; streamBacked: boolean; stream?: string; stats: TailStats }
  | { type: 'failed'; message: string; user: boolean }
  | { type: 'batch'; lines: string[]; messages: ViewedMessage[]; stats: TailStats }
  | { type: 'status'; sentence: string }
  | { type: 'stats'; stats: TailStats }
  | { type: 'closed'; why: string; stats: TailStats };

/** To the worker. */
export type ToWorker = { type: 'stop' };

export interface WorkerTailOptions extends Omit<WorkerTailInit, 'connect' | 'tail' | 'keepMessages' | 'keepPayloadBytes'> {
  /** The worker's script (the bundle's tailWorker.js, or the compiled tailWorker.js next to this file). */
  workerFile: string;
  onBatch: TailOptions['onBatch'];
  /** Called for at most `keepMessages` of each batch's messages, oldest first. */
  onMessage?: TailOptions['onMessage'];
  onStatus?: TailOptions['onStatus'];
  keepMessages?: number;
  /** 1 MiB by default. */
  keepPayloadBytes?: number;
}

const EMPTY: TailStats = { received: 0, shown: 0, skipped: 0, queued: 0, ratePerSec: 0 };

/** Starts a tail in a worker thread; rejects with a `NatsUserError` as `startTail` does (and when the worker dies). */
export function startTailInWorker(connect: NatsConnectOptions, tail: WorkerTailInit['tail'], options: WorkerTailOptions): Promise<TailSession> {
  const init: WorkerTailInit = {
    connect, tail, keepMessages: options.keepMessages ?? 0, keepPayloadBytes: options.keepPayloadBytes ?? 1024 * 1024,
    ...(options.envelopes ? { envelopes: options.envelopes } : {}),
  };
  const worker = new Worker(options.workerFile, { workerData: init });
  return new Promise<TailSession>((resolve, reject) => {
    let stats = EMPTY;
    let settled = false;
    let closeWith: (why: string) => void = () => undefined;
    const closed = new Promise<string>(r => (closeWith = r));
    let ended = false;
    const end = (why: string) => {
      if (ended) return;
      ended = true;
      closeWith(why);
    };
    let stopping: Promise<void> | undefined;
    const session: TailSession = {
      pattern: tail.pattern,
      streamBacked: false,
      stream: undefined,
      stats: () => stats,
      stop: () => {
        stopping ??= new Promise<void>(done => {
          if (ended) return done();
          void closed.then(() => done());
          worker.postMessage({ type: 'stop' } satisfies ToWorker);
          // a worker that does not answer within 10 s is ended: the host never waits on it for ever
          const t = setTimeout(() => void worker.terminate().then(() => end('stopped')), 10_000);
          t.unref();
          void closed.then(() => clearTimeout(t));
        });
        return stopping;
      },
      closed,
    };
    worker.on('message', (m: FromWorker) => {
      switch (m.type) {
        case 'started':
          stats = m.stats;
          Object.assign(session, { streamBacked: m.streamBacked, stream: m.stream });
          settled = true;
          resolve(session);
          break;
        case 'failed':
          settled = true;
          reject(m.user ? new NatsUserError(m.message) : new Error(m.message));
          void worker.terminate();
          break;
        case 'batch':
          stats = m.stats;
          for (const message of m.messages) {
            try {
              options.onMessage?.(message);
            } catch {
              // what a caller keeps of a message is not the tail's concern
            }
          }
          options.onBatch(m.lines, m.stats);
          break;
        case 'status':
          options.onStatus?.(m.sentence);
          break;
        case 'stats':
          stats = m.stats;
          break;
        case 'closed':
          stats = m.stats;
          end(m.why);
          void worker.terminate();
          break;
      }
    });
    const died = (why: string) => {
      if (!settled) {
        settled = true;
        reject(new NatsUserError(`The tail of "${tail.pattern}" could not start: ${why}`));
      }
      end(why);
    };
    worker.on('error', e => died(`its worker thread failed (${e.message})`));
    worker.on('exit', code => died(code === 0 ? 'stopped' : `its worker thread ended (exit code ${code})`));
  });
}
