// What coverage says in the editor, as text: the hover's Markdown, a pattern's message counts, the report's links.
// Pure (no vscode, no NATS client), so unit tests read exactly what a person sees.
import type { Capture, CoverageProblem, LayoutStream } from './';
import { overlap, subset } from '../pattern/lattice';
import { formatCount } from '../text/format';
import type { EventTypeCounts } from '../explorer/eventTypeCounts';

/** Which streams were asked, as the hover names it. */
export type CoverageSourceInfo =
  | { kind: 'server'; connection: string }
  /** `why`: e.g. `no connection is connected`, `cimNats.coverage.source is algebra`. */
  | { kind: 'algebra'; algebra: string; why: string };

/** How many messages of one stream a pattern matches, from the stream's event-type counts. */
export interface PatternCount {
  /** Messages of the event types the pattern matches whole. */
  messages: number;
  /** Messages of event types the pattern matches only some subjects of (e.g. one event id): at most this many more. */
  partial: number;
  /** The event types it covers, whole or in part, most messages first. */
  types: { aggregate: string; event: string; messages: number; whole: boolean }[];
  estimated: boolean;
  note?: string;
}

/** A stream's count as the hover shows it: done, still running, given up on, or not countable. */
export type CountState = { state: 'done'; count: PatternCount } | { state: 'pending' } | { state: 'failed'; reason: string } | { state: 'none'; reason: string };

/** The event types of `counts` (counted under `prefix`) that `pattern` matches, and their messages. */
export function patternCount(counts: Pick<EventTypeCounts, 'types' | 'estimated' | 'note'>, prefix: string, pattern: string): PatternCount {
  const out: PatternCount = { messages: 0, partial: 0, types: [], estimated: !!counts.estimated, ...(counts.note ? { note: counts.note } : {}) };
  for (const t of counts.types) {
    const type = `${prefix}.${t.aggregate}.${t.event}.>`;
    if (!overlap(type, pattern)) continue;
    const whole = subset(type, pattern);
    if (whole) out.messages += t.messages;
    else out.partial += t.messages;
    out.types.push({ aggregate: t.aggregate, event: t.event, messages: t.messages, whole });
  }
  out.types.sort((a, b) => b.messages - a.messages || (a.aggregate + a.event < b.aggregate + b.event ? -1 : 1));
  return out;
}

export interface CoverageHoverInput {
  /** As checked: a playbook subject with its variables expanded; a cut literal as the start it is. */
  subject: string;
  prefix: boolean;
  capture: Capture;
  problems: readonly CoverageProblem[];
  /** The subject as the algebra's rename writes it, when coverage checked that (no stream captures it as written). */
  renamed?: string;
  source: CoverageSourceInfo;
  /** Pattern hovers on a server: per capturing stream's name. */
  counts?: ReadonlyMap<string, CountState>;
  /** Pattern hovers without server counts: the event types the domain definitions declare that it covers. */
  declaredTypes?: readonly string[];
}

const MAX_TYPES = 8;

export function coverageHoverMarkdown(input: CoverageHoverInput): string {
  const { capture, source } = input;
  const what = input.prefix ? `subjects starting with \`${input.subject}\`` : capture.pattern ? `pattern \`${input.subject}\`` : `\`${input.subject}\``;
  const lines: string[] = [];
  lines.push(`**Stream coverage** ${source.kind === 'server' ? `from the streams on **${source.connection}**` : `from the algebra's stream layout (${source.algebra}), because ${source.why}`}`);
  if (input.renamed !== undefined && capture.streams.length > 0) {
    lines.push(`As written no stream captures it; checked as renamed to \`${input.renamed}\`.`);
  }
  if (capture.streams.length === 0) {
    const problem = input.problems[0];
    lines.push(problem ? `**Not stored:** ${problem.message}.` : `**Not stored:** no stream captures ${what}.`);
    return lines.join('\n\n');
  }
  const verb = capture.pattern || input.prefix ? (capture.full ? 'Stored whole by' : 'Stored in part by') : 'Stored by';
  lines.push(`${verb} ${capture.streams.length === 1 ? 'stream' : 'streams'}:`);
  const rows = capture.streams.map(c => {
    const part = capture.pattern && !c.full ? ' (part)' : '';
    const row = [`- \`${c.stream.name}\`${part} — ${streamFacts(c.stream)}; subjects ${c.subjects.map(s => `\`${s}\``).join(', ')}`];
    const count = input.counts?.get(c.stream.name);
    if (count) row.push(`  - ${countLine(count)}`);
    return row.join('\n');
  });
  lines.push(rows.join('\n'));
  if (input.declaredTypes?.length) lines.push(`Event types it covers (domain definitions): ${input.declaredTypes.map(t => `\`${t}\``).join(', ')}`);
  return lines.join('\n\n');
}

function streamFacts(s: LayoutStream): string {
  const facts = [s.storage, s.retention, s.maxAge ? `max age ${s.maxAge}` : s.source === 'server' ? 'no max age' : undefined];
  if (s.replicas !== undefined) facts.push(`${s.replicas} ${s.replicas === 1 ? 'replica' : 'replicas'}`);
  if (s.messages !== undefined) facts.push(`${formatCount(s.messages)} ${s.messages === 1 ? 'message' : 'messages'}`);
  if (s.source === 'algebra' && s.template) facts.push('one per domain');
  return facts.filter(Boolean).join(', ');
}

function countLine(c: CountState): string {
  switch (c.state) {
    case 'pending': return 'counting its messages… (hover again in a moment)';
    case 'failed': return `messages not counted: ${c.reason}`;
    case 'none': return c.reason;
    case 'done': {
      const n = c.count;
      const approx = n.estimated ? 'about ' : '';
      const head = n.partial > 0
        ? `matches ${approx}${formatCount(n.messages)} to ${formatCount(n.messages + n.partial)} messages`
        : `matches ${approx}${formatCount(n.messages)} ${n.messages === 1 ? 'message' : 'messages'}`;
      const types = n.types.slice(0, MAX_TYPES).map(t => `\`${t.aggregate}.${t.event}\` ${formatCount(t.messages)}${t.whole ? '' : ' (part)'}`);
      if (n.types.length > MAX_TYPES) types.push(`and ${n.types.length - MAX_TYPES} more`);
      return `${head}${types.length ? `; event types: ${types.join(', ')}` : '; no event type of it is stored'}${n.note ? ` (${n.note})` : ''}`;
    }
  }
}

/**
 * The report's relative links (`[src/a.ts:3](src/a.ts#L3)`) pointed at the files themselves, so they open from an
 * unsaved document: `resolve` maps a workspace-relative path to a URI, or undefined to leave the link as it is.
 */
export function absoluteLinks(markdown: string, resolve: (relativePath: string) => string | undefined): string {
  return markdown.replace(/\]\(([^()\s#]+)(#L\d+)?\)/g, (whole, target: string, line: string | undefined) => {
    let path: string;
    try {
      path = target.split('/').map(decodeURIComponent).join('/');
    } catch {
      return whole;
    }
    const uri = resolve(path);
    return uri === undefined ? whole : `](${uri}${line ?? ''})`;
  });
}
