// How a reading CLI command runs: connected, with a progress line on a terminal, cancelled by Ctrl+C, and a failure
// or a cancel said in one sentence with exit 1.
import { connectNats, type NatsSession } from '../nats/connection/connect';
import { NatsUserError } from '../nats/errors/sentences';
import { Progress } from './exportCommand';
import type { Io } from './usage';

/**
 * Connects as `cim-nats <name>`, runs, and says a failure or a cancel (Ctrl+C) in one sentence with exit 1; `what` names
 * the work in the cancel's sentence ("the backup of ORDERS").
 */
export async function withSession(name: string, options: Parameters<typeof connectNats>[0], io: Io, body: (session: NatsSession, progress: Progress, signal: AbortSignal) => Promise<number>, what = `the ${name}`): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('cancelled'));
  process.once('SIGINT', onSigint);
  const progress = new Progress();
  let session: NatsSession | undefined;
  try {
    session = await connectNats({ ...options, name: `cim-nats ${name}` });
    return await body(session, progress, controller.signal);
  } catch (e) {
    progress.clear();
    if (controller.signal.aborted || (e instanceof Error && e.name === 'AbortError')) {
      // a cancel that says more (how far it got) is said as it is
      io.err(`cim-nats: ${e instanceof Error && /was cancelled/.test(e.message) ? e.message : `${what} was cancelled.`}`);
      return 1;
    }
    if (e instanceof NatsUserError) {
      io.err(`cim-nats: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
    progress.clear();
    await session?.close();
  }
}

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
