// `cim-nats backup` and `cim-nats restore`: a stream kept whole (sequences, times, consumers) in natscli's backup
// folder layout, and brought back from one; progress on stderr, Ctrl+C cancels.
import { formatBytes, formatCount } from '../core/text/format';
import { connectNats, type NatsSession } from '../nats/connection/connect';
import { backupStream } from '../nats/backup/snapshot';
import { NatsUserError } from '../nats/errors/sentences';
import { asksForHelp, parseCommand } from './connectionFlags';
import { Progress } from './exportCommand';
import { HELP, UsageError, type Io } from './usage';

type Env = Readonly<Record<string, string | undefined>>;

const OPTIONS = {
  'no-consumers': { type: 'boolean' },
  check: { type: 'boolean' },
} as const;

/** Exit 0 when the backup is whole in DIR, 1 when it failed or was cancelled (nothing that looks whole left), 2 usage. */
export async function backupCommand(args: string[], io: Io, env: Env): Promise<number> {
  if (asksForHelp(args)) {
    io.out(HELP);
    return 0;
  }
  const { connection, values, positionals } = parseCommand(args, env, OPTIONS);
  if (positionals.length !== 2) throw new UsageError(`backup needs a STREAM and a DIR${positionals.length ? `, not ${positionals.length} argument${positionals.length === 1 ? '' : 's'}` : ''}`);
  const [stream, dir] = positionals as [string, string];
  return withSession(io, 'cim-nats backup', connection.options, `the backup of ${stream}`, async (session, signal) => {
    const progress = new Progress();
    try {
      const r = await backupStream(session, {
        stream, dir, signal, consumers: !values['no-consumers'], check: values.check ?? false,
        onProgress: p => progress.show(`Backing up ${stream}: ${formatBytes(p.bytes)} received (the stream holds ${formatBytes(p.streamBytes)})…`),
      });
      progress.clear();
      const range = r.state.messages ? ` (#${r.state.first_seq}–#${r.state.last_seq})` : '';
      io.err(`Backed up ${formatCount(r.state.messages)} message${r.state.messages === 1 ? '' : 's'}${range} of ${stream}${r.consumers ? ` and its ${formatCount(r.state.consumer_count)} consumer${r.state.consumer_count === 1 ? '' : 's'}` : ' without its consumers'} to ${dir} (backup.json, ${r.file}: ${formatBytes(r.bytes)} in ${seconds(r.ms)}).`);
      return 0;
    } finally {
      progress.clear();
    }
  });
}

/** Connects, runs, and turns a failure or Ctrl+C into one line on stderr and exit 1. */
export async function withSession(io: Io, name: string, options: Parameters<typeof connectNats>[0], what: string, run: (session: NatsSession, signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let session: NatsSession | undefined;
  try {
    session = await connectNats({ ...options, name });
    return await run(session, controller.signal);
  } catch (e) {
    if (e instanceof Error && e.name === 'AbortError') {
      io.err(`cim-nats: ${/was cancelled/.test(e.message) ? e.message : `${what} was cancelled.`}`);
      return 1;
    }
    if (e instanceof NatsUserError) {
      io.err(`cim-nats: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await session?.close();
  }
}

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
