// `cim-nats trace` and `cim-nats history`: a correlation's causation tree and an aggregate's events with version
// checks, as indented text or JSON. trace exits 1 when a cause was not found (or nothing was), history on a gap.
import { parseSince } from '../core/message/since';
import { parseWindow } from '../core/find/timeRange';
import { aggregateHistory, buildCausationForest, historyJson, historyLines, traceJson, traceLines } from '../core/trace';
import { formatCount } from '../core/text/format';
import { aggregateEvents } from '../nats/trace/history';
import { findCorrelation, traceStreams } from '../nats/trace/correlation';
import { resolveAlgebra } from './algebraOption';
import { asksForHelp, parseCommand } from './connectionFlags';
import { withSession } from './session';
import { FIND_DEFAULTS, wholeNumber } from './find';
import { HELP, UsageError, type Io } from './usage';

type Env = Readonly<Record<string, string | undefined>>;

const COMMON = {
  json: { type: 'boolean' },
  'max-scanned': { type: 'string' },
  algebra: { type: 'string' },
  preset: { type: 'string' },
} as const;

/** How far around the origin a trace looks by default (the editor's cimNats.trace.window is the same). */
export const DEFAULT_TRACE_WINDOW = '15m';
const TRACE_MAX_SCANNED = 1_000_000;

export async function traceCommand(args: string[], io: Io, env: Env): Promise<number> {
  if (asksForHelp(args)) {
    io.out(HELP);
    return 0;
  }
  const { connection, values, positionals } = parseCommand(args, env, { ...COMMON, window: { type: 'string' }, around: { type: 'string' }, stream: { type: 'string', multiple: true } });
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `trace takes one CORRELATION_ID, not ${positionals.length}` : 'trace needs a CORRELATION_ID');
  const correlationId = positionals[0]!;
  const window = parseWindow(values.window ?? DEFAULT_TRACE_WINDOW);
  if (!window.ok) throw new UsageError(`--window: ${window.problem.replace(/\.$/, '')}`);
  let around = new Date();
  if (values.around !== undefined) {
    const t = parseSince(values.around);
    if (!t.ok) throw new UsageError(`--around: ${t.problem.replace(/\.$/, '')}`);
    around = t.since;
  }
  const algebra = resolveAlgebra(values.algebra, values.preset, io.err);
  const maxScanned = wholeNumber('--max-scanned', values['max-scanned'], 1) ?? TRACE_MAX_SCANNED;
  return withSession('trace', connection.options, io, async (session, progress, signal) => {
    const streams = await traceStreams(session, algebra, values.stream ?? []);
    const found = await findCorrelation(session, {
      correlationId, around, windowMs: window.ms, streams, maxScanned, signal,
      onProgress: (scanned, n) => progress.show(`Scanned ${formatCount(scanned)} messages, ${formatCount(n)} of the correlation…`),
    });
    progress.clear();
    const where = `${found.streams.filter(s => !s.problem).map(s => s.stream).join(', ')} between ${found.window.since.toISOString()} and ${found.window.until.toISOString()}`;
    for (const s of found.streams) if (s.problem) io.err(`Not searched: ${s.problem}`);
    if (found.truncated) io.err(`Stopped after ${formatCount(found.scanned)} messages scanned (--max-scanned): the tree may miss messages.`);
    if (found.messages.length === 0) {
      io.err(`No message with correlation id ${correlationId} in ${where}: widen the window (--window 2h) or move it (--around TIME).`);
      return 1;
    }
    const forest = buildCausationForest(found.messages, { correlationId, window: found.window });
    if (values.json) io.out(JSON.stringify({ ...traceJson(forest), window: { since: found.window.since.toISOString(), until: found.window.until.toISOString() }, streams: found.streams }, null, 2));
    else traceLines(forest).forEach(l => io.out(l));
    io.err(`Searched ${where} (${formatCount(found.scanned)} messages).`);
    return forest.complete && forest.size > 0 ? 0 : 1;
  });
}

export async function historyCommand(args: string[], io: Io, env: Env): Promise<number> {
  if (asksForHelp(args)) {
    io.out(HELP);
    return 0;
  }
  const { connection, values, positionals } = parseCommand(args, env, COMMON);
  if (positionals.length !== 3) throw new UsageError('history needs DOMAIN AGGREGATE AGGREGATE_ID');
  const [domain, aggregate, id] = positionals as [string, string, string];
  if (!connection.environment) throw new UsageError('history needs the environment the events are stored under: pass --env ENV or set CIM_ENVIRONMENT');
  const algebra = resolveAlgebra(values.algebra, values.preset, io.err);
  const maxScanned = wholeNumber('--max-scanned', values['max-scanned'], 1) ?? FIND_DEFAULTS.maxScanned * 10;
  return withSession('history', connection.options, io, async (session, progress, signal) => {
    const read = await aggregateEvents(session, algebra, {
      env: connection.environment!, domain, aggregate, id, maxScanned, signal,
      onProgress: (scanned, n) => progress.show(`Scanned ${formatCount(scanned)} messages, ${formatCount(n)} of the aggregate…`),
    });
    progress.clear();
    read.notes.forEach(n => io.err(n));
    if (read.truncated) io.err(`Stopped after ${formatCount(read.scanned)} messages scanned (--max-scanned): later events may be missing.`);
    if (read.events.length === 0 && !read.snapshot) {
      io.err(`No event of ${aggregate} ${id} in ${read.eventsStream} on ${read.filter}: check the domain, aggregate and id (and --env).`);
      return 1;
    }
    const history = aggregateHistory(read.events, read.snapshot);
    if (values.json) io.out(JSON.stringify({ ...historyJson(history), stream: read.eventsStream, filter: read.filter }, null, 2));
    else historyLines(history).forEach(l => io.out(l));
    return history.consistent ? 0 : 1;
  });
}
