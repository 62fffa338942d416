// `cim-nats restore`: a stream brought back from a backup folder with its sequences, times and consumers.
import { formatBytes, formatCount } from '../core/text/format';
import { restoreStream } from '../nats/backup/restore';
import { seconds, withSession } from './session';
import { asksForHelp, parseCommand } from './connectionFlags';
import { HELP, UsageError, type Io } from './usage';

type Env = Readonly<Record<string, string | undefined>>;

/** Exit 0 when the stream was restored, 1 when it was refused, failed or cancelled, 2 usage. */
export async function restoreCommand(args: string[], io: Io, env: Env): Promise<number> {
  if (asksForHelp(args)) {
    io.out(HELP);
    return 0;
  }
  const { connection, positionals } = parseCommand(args, env, {});
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `restore takes one DIR, not ${positionals.length}` : 'restore needs the DIR of a backup');
  const dir = positionals[0]!;
  return withSession('restore', connection.options, io, async (session, progress, signal) => {
    const r = await restoreStream(session, {
      dir, signal,
      onProgress: p => progress.show(p.phase === 'sending' ? `Restoring from ${dir}: ${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)} sent…` : `Sent ${formatBytes(p.bytes)}; the server is building the stream (this cannot be cancelled)…`),
    });
    progress.clear();
    const range = r.state.messages ? ` (#${r.state.first_seq}–#${r.state.last_seq})` : '';
    const consumers = r.consumers.length ? ` and ${r.consumers.length === 1 ? 'its consumer' : `its ${r.consumers.length} consumers`} ${r.consumers.join(', ')}` : '';
    io.err(`Restored ${r.stream}: ${formatCount(r.state.messages)} message${r.state.messages === 1 ? '' : 's'}${range}${consumers}, from ${dir} in ${seconds(r.ms)}.`);
    return 0;
  }, `the restore from ${dir}`);
}
