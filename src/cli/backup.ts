// `cim-nats backup` and `cim-nats restore`: a stream kept whole (sequences, times, consumers) in natscli's backup
// folder layout, and brought back from one; progress on stderr, Ctrl+C cancels.
import { formatBytes, formatCount } from '../core/text/format';
import { backupStream } from '../nats/backup/snapshot';
import { asksForHelp, parseCommand } from './connectionFlags';
import { seconds, withSession } from './session';
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
  return withSession('backup', connection.options, io, async (session, progress, signal) => {
    const r = await backupStream(session, {
      stream, dir, signal, consumers: !values['no-consumers'], check: values.check ?? false,
      onProgress: p => progress.show(`Backing up ${stream}: ${formatBytes(p.bytes)} received (the stream holds ${formatBytes(p.streamBytes)})…`),
    });
    progress.clear();
    const range = r.state.messages ? ` (#${r.state.first_seq}–#${r.state.last_seq})` : '';
    io.err(`Backed up ${formatCount(r.state.messages)} message${r.state.messages === 1 ? '' : 's'}${range} of ${stream}${r.consumers ? ` and its ${formatCount(r.state.consumer_count)} consumer${r.state.consumer_count === 1 ? '' : 's'}` : ' without its consumers'} to ${dir} (backup.json, ${r.file}: ${formatBytes(r.bytes)} in ${seconds(r.ms)}).`);
    return 0;
  }, `the backup of ${stream}`);
}
