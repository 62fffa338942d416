// `cim-nats find`: messages by subject, time or sequence range and a CEL expression, across the streams a filter
// reaches; one JSON line per match with --json. Exit 0 with matches, 1 with none (or a failure), 2 usage or expression.
import { compileCel, type CelFilter } from '../core/find/celFilter';
import { parseTimeRange } from '../core/find/timeRange';
import { messageAsJsonLine, messageTitle } from '../core/message/format';
import { formatBytes, formatCount } from '../core/text/format';
import { findMessages, type FindOptions, type FindResult } from '../nats/read/find';
import { asksForHelp, parseCommand } from './connectionFlags';
import { withSession } from './session';
import { HELP, UsageError, type Io } from './usage';

const OPTIONS = {
  stream: { type: 'string', multiple: true },
  filter: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  'from-seq': { type: 'string' },
  'to-seq': { type: 'string' },
  where: { type: 'string' },
  limit: { type: 'string' },
  'max-scanned': { type: 'string' },
  json: { type: 'boolean' },
} as const;

type Env = Readonly<Record<string, string | undefined>>;

export const FIND_DEFAULTS = { maxScanned: 100_000, maxMatches: 500 };

export async function findCommand(args: string[], io: Io, env: Env): Promise<number> {
  if (asksForHelp(args)) {
    io.out(HELP);
    return 0;
  }
  const { connection, values, positionals } = parseCommand(args, env, OPTIONS);
  if (positionals.length > 1) throw new UsageError(`find takes at most one STREAM, not ${positionals.length}`);
  const streams = [...(values.stream ?? []), ...positionals];
  const range = parseTimeRange({ ...(values.since !== undefined ? { since: values.since } : {}), ...(values.until !== undefined ? { until: values.until } : {}) });
  if (!range.ok) throw new UsageError(`--${range.field}: ${range.problem.replace(/\.$/, '')}`);
  const fromSeq = wholeNumber('--from-seq', values['from-seq'], 1);
  const toSeq = wholeNumber('--to-seq', values['to-seq'], 1);
  if ((fromSeq !== undefined || toSeq !== undefined) && (range.range.since || range.range.until)) throw new UsageError('a sequence range and a time range are two ranges: give one');
  let where: CelFilter | undefined;
  if (values.where !== undefined) {
    const compiled = compileCel(values.where);
    if (!compiled.ok) {
      io.err(`cim-nats: --where: ${compiled.problem.message}`);
      io.err(`  ${values.where.split('\n').join(' ')}`);
      io.err(`  ${' '.repeat(compiled.problem.offset)}^`);
      return 2;
    }
    where = compiled.filter;
  }
  const options: FindOptions = {
    maxMatches: wholeNumber('--limit', values.limit, 1) ?? FIND_DEFAULTS.maxMatches,
    maxScanned: wholeNumber('--max-scanned', values['max-scanned'], 1) ?? FIND_DEFAULTS.maxScanned,
    ...(streams.length ? { streams } : {}),
    ...(values.filter ? { filter: values.filter } : {}),
    ...(range.range.since ? { since: range.range.since } : {}),
    ...(range.range.until ? { until: range.range.until } : {}),
    ...(fromSeq !== undefined ? { fromSeq } : {}),
    ...(toSeq !== undefined ? { toSeq } : {}),
    ...(where ? { where } : {}),
  };
  if (!options.streams && !options.filter) throw new UsageError('find needs a STREAM (or --stream) or a --filter to know where to look');

  return withSession('search', connection.options, io, async (session, progress, signal) => {
    const result = await findMessages(session, {
      ...options,
      signal,
      onProgress: p => progress.show(`Scanned ${formatCount(p.scanned)}${p.total !== undefined ? ` of ${formatCount(p.total)}` : ''} messages (${formatBytes(p.bytes)}), ${formatCount(p.matched)} matched…`),
    });
    progress.clear();
    for (const m of result.matches) io.out(values.json ? messageAsJsonLine(m) : `${m.stream ?? ''}  ${messageTitle(m)}`);
    for (const line of findSummary(result, options)) io.err(line);
    return result.matches.length > 0 ? 0 : 1;
  });
}

/** What the search read and where it stopped, then the streams it could not read, then the expression's failures. */
export function findSummary(result: FindResult, options: Pick<FindOptions, 'maxScanned' | 'maxMatches'>): string[] {
  const searched = result.streams.filter(s => !s.problem).map(s => s.stream);
  const lines = [`${formatCount(result.matches.length)} match${result.matches.length === 1 ? '' : 'es'} in ${formatCount(result.scanned)} message${result.scanned === 1 ? '' : 's'} (${formatBytes(result.bytes)}) of ${searched.join(', ') || 'no stream'}.`];
  if (result.bound === 'matches') lines.push(`Stopped at ${formatCount(options.maxMatches)} matches (--limit): there may be more; raise --limit, or narrow the range.`);
  if (result.bound === 'scanned') lines.push(`Stopped after ${formatCount(options.maxScanned)} messages scanned (--max-scanned): the rest of the range was not read; raise --max-scanned, or narrow the range.`);
  for (const s of result.streams) if (s.problem) lines.push(`Not searched: ${s.problem}`);
  if (result.failed > 0 && result.firstFailure) {
    const f = result.firstFailure;
    lines.push(`The expression could not be evaluated on ${formatCount(result.failed)} message${result.failed === 1 ? '' : 's'} (they do not match); the first, ${f.stream} #${f.seq}: ${f.reason}.`);
  }
  return lines;
}

export function wholeNumber(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} ${value}: give a whole number from ${min}`);
  return n;
}
