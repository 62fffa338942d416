// `cim-nats import`: JSON lines published into their stream again, the stream created from `<base>.stream.json` on --create.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { StreamConfig } from '@nats-io/jetstream';
import { formatCount } from '../core/text/format';
import { connectNats, type NatsSession } from '../nats/connection/connect';
import { NatsUserError } from '../nats/errors/sentences';
import { importMessages, StreamMissingError } from '../nats/read/import';
import { parseStreamConfigDocument } from '../nats/streams/configDocument';
import { configPathFor, Progress } from './exportCommand';
import { asksForHelp, parseCommand } from './connectionFlags';
import { HELP, UsageError, type Io } from './usage';

const OPTIONS = {
  stream: { type: 'string' },
  'new-ids': { type: 'boolean' },
  create: { type: 'boolean' },
  'skip-broken': { type: 'boolean' },
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/** Problems listed one per line on stderr before the rest is counted. */
const LISTED = 20;

/** Exit 0 when every message was stored (or already there), 1 when anything failed, was broken or left out, 2 usage. */
export async function importCommand(args: string[], io: Io, env: Env, stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  if (asksForHelp(args)) {
    io.out(HELP);
    return 0;
  }
  const { connection, values, positionals } = parseCommand(args, env, OPTIONS);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `import takes one FILE.jsonl, not ${positionals.length}` : 'import needs a FILE.jsonl (- for stdin)');
  if (values.stream === '') throw new UsageError('--stream needs a stream name');
  const file = positionals[0]!;
  const fromStdin = file === '-';

  if (!fromStdin) {
    const problem = await stat(file).then(s => (s.isFile() ? undefined : 'it is not a file'), (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? 'no such file' : e.message));
    if (problem) {
      io.err(`cim-nats: cannot read ${file}: ${problem}.`);
      return 1;
    }
  }
  const configFile = fromStdin ? undefined : configPathFor(file);
  const config = configFile ? await readConfig(configFile) : undefined;
  if (config && !config.ok && values.create) {
    io.err(`cim-nats: ${configFile} cannot be used to create the stream: ${config.problem}`);
    return 1;
  }
  const document = config?.ok ? config.config : undefined;

  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('cancelled'));
  process.once('SIGINT', onSigint);
  const progress = new Progress();
  let session: NatsSession | undefined;
  let input: NodeJS.ReadableStream | undefined;
  let lines: ReturnType<typeof createInterface> | undefined;
  try {
    session = await connectNats({ ...connection.options, name: 'cim-nats import' });
    const stream = values.stream ?? document?.name;
    // readline drops the lines it reads before its iterator exists: open the file only now, and iterate at once.
    input = fromStdin ? stdin : createReadStream(file);
    lines = createInterface({ input, crlfDelay: Infinity });
    const result = await importMessages(session, {
      lines: lines[Symbol.asyncIterator](),
      onBrokenLine: values['skip-broken'] ? 'skip' : 'stop',
      newIds: values['new-ids'] ?? false,
      signal: controller.signal,
      hints: { newIds: '--new-ids', skipBroken: '--skip-broken' },
      onProgress: p => progress.show(`Line ${formatCount(p.lines)}: ${formatCount(p.stored)} stored, ${formatCount(p.duplicates)} duplicates, ${formatCount(p.failed)} failed…`),
      ...(stream ? { stream } : {}),
      ...(values.create && document ? { config: document } : {}),
    });
    progress.clear();
    const problems = [...result.broken, ...result.failures].sort((a, b) => a.line - b.line);
    for (const p of problems.slice(0, LISTED)) io.err(p.problem);
    const more = result.brokenCount + result.failed - Math.min(problems.length, LISTED);
    if (more > 0) io.err(`… and ${formatCount(more)} more.`);
    for (const sentence of result.summary) io.out(sentence);
    return result.ok ? 0 : 1;
  } catch (e) {
    progress.clear();
    if (e instanceof StreamMissingError) {
      const there = `Stream ${e.stream} does not exist on ${session?.server ?? connection.server}`;
      if (document && !values.create) io.err(`cim-nats: ${there}: pass --create to create it from ${configFile}.`);
      else if (values.create) io.err(`cim-nats: ${there}, and there is no ${configFile ?? 'configuration file for stdin'} to create it from: create the stream first (cim-nats init-streams, or nats stream add).`);
      else io.err(`cim-nats: ${there}: create it first (cim-nats init-streams, or nats stream add).`);
      return 1;
    }
    if (e instanceof NatsUserError) {
      io.err(`cim-nats: ${e.message}`);
      return 1;
    }
    if ((e as NodeJS.ErrnoException).code && (e as NodeJS.ErrnoException).syscall) {
      io.err(`cim-nats: cannot read ${fromStdin ? 'stdin' : file}: ${(e as Error).message}`);
      return 1;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
    lines?.close();
    if (input && !fromStdin) (input as ReturnType<typeof createReadStream>).destroy();
    await session?.close();
  }
}

async function readConfig(file: string): Promise<{ ok: true; config: StreamConfig } | { ok: false; problem: string } | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  return parseStreamConfigDocument(text);
}
