// `cim-nats export`: a stream's messages as JSON lines on stdout or in a file, its configuration beside the file.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { parseSince } from '../core/message/since';
import { formatCount } from '../core/text/format';
import { connectNats, type NatsSession } from '../nats/connection/connect';
import { NatsUserError } from '../nats/errors/sentences';
import { exportMessages, type ExportOptions } from '../nats/read/export';
import { streamConfigDocument } from '../nats/streams/configDocument';
import { asksForHelp, parseCommand } from './connectionFlags';
import { HELP, UsageError, type Io } from './usage';

const OPTIONS = {
  filter: { type: 'string' },
  'from-seq': { type: 'string' },
  since: { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/** `orders.jsonl` → `orders.stream.json`: where export writes a stream's configuration and import looks for it. */
export function configPathFor(file: string): string {
  return `${file.replace(/\.(jsonl|ndjson|json)$/i, '')}.stream.json`;
}

/** Exit 0 when every message was written, 1 when the export failed or was cancelled (Ctrl+C), 2 usage. */
export async function exportCommand(args: string[], io: Io, env: Env, stdout: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (asksForHelp(args)) {
    io.out(HELP);
    return 0;
  }
  const { connection, values, positionals } = parseCommand(args, env, OPTIONS);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `export takes one STREAM, not ${positionals.length}` : 'export needs a STREAM');
  const stream = positionals[0]!;
  const from = startOption(values['from-seq'], values.since);
  const file = values.output;
  if (file === '') throw new UsageError('-o needs a file name');

  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('cancelled'));
  process.once('SIGINT', onSigint);
  const sink = new LineSink(file ? createWriteStream(`${file}.partial`) : stdout, !file);
  const progress = new Progress();
  let session: NatsSession | undefined;
  let done = false;
  try {
    session = await connectNats({ ...connection.options, name: 'cim-nats export' });
    const options: ExportOptions = {
      stream,
      write: line => sink.write(line),
      onProgress: (count, total) => progress.show(`Exported ${formatCount(count)}${total !== undefined ? ` of ${formatCount(total)}` : ''} messages…`),
      signal: controller.signal,
      ...(values.filter ? { filter: values.filter } : {}),
      ...(from ? { from } : {}),
    };
    const result = await exportMessages(session, options);
    await sink.end();
    progress.clear();
    const range = result.exported ? ` (#${result.firstSeq}–#${result.lastSeq})` : '';
    const what = `${formatCount(result.exported)} message${result.exported === 1 ? '' : 's'}${range} of ${stream}${values.filter ? ` on "${values.filter}"` : ''}`;
    if (file) {
      await rename(`${file}.partial`, file);
      await writeFile(configPathFor(file), await streamConfigDocument(session, stream));
      io.err(`Exported ${what} to ${file}, and its configuration to ${configPathFor(file)}.`);
    } else {
      io.err(`Exported ${what}.`);
    }
    done = true;
    return 0;
  } catch (e) {
    progress.clear();
    if (sink.closedByReader) {
      // The reader of stdout went away (`| head`): it has what it wanted.
      done = true;
      return 0;
    }
    if (controller.signal.aborted) {
      io.err(`cim-nats: the export of ${stream} was cancelled${file ? `: ${file} was not written` : ''}.`);
      return 1;
    }
    if (e instanceof NatsUserError) {
      io.err(`cim-nats: ${e.message}${file ? ` ${file} was not written.` : ''}`);
      return 1;
    }
    if (sink.failure) {
      io.err(`cim-nats: cannot write ${file ?? 'the output'}: ${sink.failure.message}`);
      return 1;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
    if (!done) await sink.abort();
    if (file && !done) await rm(`${file}.partial`, { force: true });
    await session?.close();
  }
}

function startOption(fromSeq: string | undefined, since: string | undefined): ExportOptions['from'] {
  if (fromSeq !== undefined && since !== undefined) throw new UsageError('--from-seq and --since are two starts: give one');
  if (fromSeq !== undefined) {
    if (!/^\d+$/.test(fromSeq) || Number(fromSeq) < 1 || !Number.isSafeInteger(Number(fromSeq))) throw new UsageError(`--from-seq ${fromSeq}: give a sequence number from 1`);
    return { seq: Number(fromSeq) };
  }
  if (since !== undefined) {
    const parsed = parseSince(since);
    if (!parsed.ok) throw new UsageError(`--since ${since}: ${parsed.problem.replace(/\.$/, '')}`);
    return { since: parsed.since };
  }
  return undefined;
}

const CHUNK_BYTES = 64 * 1024;

/** Lines gathered into 64 KiB writes; a write waits while the stream's buffer is full. */
class LineSink {
  private buffer: string[] = [];
  private size = 0;
  failure: Error | undefined;
  closedByReader = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly isStdout: boolean,
  ) {
    out.on('error', (e: NodeJS.ErrnoException) => {
      this.failure ??= e;
      if (isStdout && e.code === 'EPIPE') this.closedByReader = true;
    });
  }

  async write(line: string): Promise<void> {
    if (this.failure) throw this.failure;
    this.buffer.push(line, '\n');
    this.size += line.length + 1;
    if (this.size >= CHUNK_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.out.write(chunk)) await Promise.race([once(this.out, 'drain'), once(this.out, 'error')]);
    if (this.failure) throw this.failure;
  }

  async end(): Promise<void> {
    await this.flush();
    if (this.isStdout) return;
    const finished = Promise.race([once(this.out, 'finish'), once(this.out, 'error')]);
    this.out.end();
    await finished;
    if (this.failure) throw this.failure;
  }

  async abort(): Promise<void> {
    if (this.isStdout) return;
    const closed = once(this.out, 'close').catch(() => undefined);
    (this.out as NodeJS.WritableStream & { destroy(): void }).destroy();
    await closed;
  }
}

/** A progress line that rewrites itself on a terminal's stderr (nothing when stderr is a file or pipe). */
export class Progress {
  private last = 0;
  private shown = false;

  show(text: string): void {
    if (!process.stderr.isTTY) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    this.shown = true;
    process.stderr.write(`\r\x1b[2K${text}`);
  }

  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}
