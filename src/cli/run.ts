// `cim-nats run`: a .nats playbook's PUB and REQ blocks sent in order, SUB blocks collected for a while, each result
// printed (stream, sequence, duplicate); exit 1 when any send failed or could not be confirmed.
import { readFile } from 'node:fs/promises';
import { describeResult, lineAt, lineStarts, parseDuration, parsePlaybook, type BlockResult, type PlaybookBlock, type PlaybookEntry } from '../core';
import { formatCount } from '../core/text/format';
import { connectNats, type NatsSession } from '../nats/connection/connect';
import { NatsUserError } from '../nats/errors/sentences';
import { PlaybookRunner } from '../nats/publish/playbookRunner';
import { resolveAlgebra } from './algebraOption';
import { asksForHelp, parseCommand } from './connectionFlags';
import { Progress } from './exportCommand';
import { HELP, UsageError, type Io } from './usage';

const OPTIONS = {
  block: { type: 'string' },
  line: { type: 'string' },
  for: { type: 'string' },
  json: { type: 'boolean' },
  yes: { type: 'boolean' },
  algebra: { type: 'string' },
  preset: { type: 'string' },
} as const;

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_FOR_MS = 5_000;

/** Exit 0 when every selected block ran and each send is confirmed, 1 otherwise, 2 usage. */
export async function runCommand(args: string[], io: Io, env: Env): Promise<number> {
  if (asksForHelp(args)) {
    io.out(HELP);
    return 0;
  }
  const { connection, values, positionals } = parseCommand(args, env, OPTIONS);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `run takes one FILE.nats, not ${positionals.length}` : 'run needs a FILE.nats');
  if (values.block !== undefined && values.line !== undefined) throw new UsageError('--block and --line both pick a block: give one');
  let line: number | undefined;
  if (values.line !== undefined) {
    if (!/^\d+$/.test(values.line) || Number(values.line) < 1) throw new UsageError(`--line ${values.line}: give a line number from 1`);
    line = Number(values.line);
  }
  const forMs = values.for === undefined ? DEFAULT_FOR_MS : parseDuration(values.for);
  if (forMs === undefined) throw new UsageError(`--for ${values.for}: give a duration such as 500ms, 5s or 1m`);
  const algebra = resolveAlgebra(values.algebra, values.preset, io.err);
  const file = positionals[0]!;

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    io.err(`cim-nats: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
    return 1;
  }
  const playbook = parsePlaybook(text);
  const starts = lineStarts(text);
  const lineOf = (offset: number) => lineAt(starts, offset) + 1;
  let select: ((b: PlaybookBlock) => boolean) | undefined;
  if (values.block !== undefined) {
    const title = values.block;
    if (!playbook.blocks.some(b => b.title === title)) throw new UsageError(`${file} has no block titled "${title}" (### ${title})`);
    select = b => b.title === title;
  } else if (line !== undefined) {
    const at = line;
    const block = playbook.blocks.find(b => lineOf(b.range.start) <= at && at <= lineOf(Math.max(b.range.start, b.range.end - 1)));
    if (!block) throw new UsageError(`line ${at} of ${file} is in no block with a verb`);
    select = b => b === block;
  }
  if (!playbook.blocks.length) {
    io.err(`cim-nats: ${file} holds no PUB, SUB or REQ block.`);
    return 1;
  }

  const environment = connection.environment ?? algebra.spec.environments[0] ?? 'dev';
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('cancelled'));
  process.once('SIGINT', onSigint);
  const progress = new Progress();
  let session: NatsSession | undefined;
  let runner: PlaybookRunner | undefined;
  try {
    session = await connectNats({ ...connection.options, name: 'cim-nats run' });
    runner = new PlaybookRunner(session, { algebra, environment });
    const label = (e: PlaybookEntry) => `${file}:${lineOf(e.block.verbRange.start)} ${e.block.title ?? `${e.block.verb} ${e.block.subject}`}`;
    const run = await runner.runPlaybook(playbook, {
      forMs,
      signal: controller.signal,
      confirm: () => values.yes === true,
      onProgress: p => p.total > 1 && progress.show(`${formatCount(p.done)} of ${formatCount(p.total)} sent…`),
      ...(select ? { select } : {}),
      onResult: e => {
        progress.clear();
        if (values.json) return;
        const words = describeResult(e.result, { declinedHint: 'Pass --yes to publish to production subjects.' });
        io.out(`${label(e)}: ${words.line}`);
        for (const l of words.details) io.out(l);
      },
    });
    if (values.json) {
      io.out(JSON.stringify({
        file, server: session.server, environment,
        results: run.entries.map(e => ({ line: lineOf(e.block.verbRange.start), title: e.block.title, verb: e.block.verb, subject: e.block.subject, result: withoutError(e.result) })),
        ok: run.ok,
      }, null, 2));
    }
    return run.ok ? 0 : 1;
  } catch (e) {
    progress.clear();
    if (!(e instanceof NatsUserError)) throw e;
    io.err(`cim-nats: ${e.message}`);
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    runner?.dispose();
    await session?.close();
  }
}

function withoutError(r: BlockResult): unknown {
  if (r.kind === 'repeated' && r.last) return { ...r, last: withoutError(r.last) };
  if (!('error' in r)) return r;
  const { error: _error, ...rest } = r;
  return rest;
}
