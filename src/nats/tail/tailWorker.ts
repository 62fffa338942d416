// The worker thread of `startTailInWorker`: its own connection, the tail, and what the starting thread needs of it,
// posted as data — batches (with a few of their messages), sentences, counts, and the end.
import { parentPort, workerData } from 'node:worker_threads';
import { compileAlgebra } from '../../core/algebra/compiled';
import { envelopeChecker } from '../../core/message/envelopeCheck';
import type { ViewedMessage } from '../../core/message/types';
import { connectNats, type NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { startTail, type TailSession } from './tail';
import type { FromWorker, ToWorker, WorkerTailInit } from './workerTail';

/** How often the counts go to the starting thread when no batch carries them (a tail that only skips, or waits). */
const STATS_EVERY_MS = 500;

const port = parentPort;
if (!port) throw new Error('tailWorker.js runs as a worker thread (startTailInWorker)');
const init = workerData as WorkerTailInit;
const post = (m: FromWorker) => port.postMessage(m);

async function main(): Promise<void> {
  let session: NatsSession;
  try {
    session = await connectNats(init.connect);
  } catch (e) {
    post({ type: 'failed', message: e instanceof Error ? e.message : String(e), user: e instanceof NatsUserError });
    return;
  }
  let kept: ViewedMessage[] = [];
  let tail: TailSession;
  try {
    tail = await startTail(session, {
      ...init.tail,
      ...(init.envelopes ? { checkEnvelopes: envelopeChecker(compileAlgebra(init.envelopes.algebra), init.envelopes.definitions) } : {}),
      onMessage: init.keepMessages > 0
        ? m => {
          // a copy (the client's message may be a view into a larger read buffer); a large payload stays here
          kept.push({ ...m, data: m.data.length > init.keepPayloadBytes ? new Uint8Array(0) : m.data.slice(), size: Math.max(m.size, m.data.length) });
          if (kept.length > init.keepMessages) kept.shift();
        }
        : undefined,
      onBatch: (lines, stats) => {
        post({ type: 'batch', lines, messages: kept, stats });
        kept = [];
      },
      onStatus: sentence => post({ type: 'status', sentence }),
    });
  } catch (e) {
    await session.close().catch(() => undefined);
    post({ type: 'failed', message: e instanceof Error ? e.message : String(e), user: e instanceof NatsUserError });
    return;
  }
  post({ type: 'started', streamBacked: tail.streamBacked, ...(tail.stream ? { stream: tail.stream } : {}), stats: tail.stats() });
  let last = '';
  const ticker = setInterval(() => {
    const stats = tail.stats();
    const now = JSON.stringify(stats);
    if (now !== last) post({ type: 'stats', stats });
    last = now;
  }, STATS_EVERY_MS);
  port!.on('message', (m: ToWorker) => {
    if (m.type === 'stop') void tail.stop();
  });
  const why = await tail.closed;
  clearInterval(ticker);
  await session.close().catch(() => undefined);
  post({ type: 'closed', why, stats: tail.stats() });
}

void main().catch(e => post({ type: 'failed', message: e instanceof Error ? e.message : String(e), user: false }));
