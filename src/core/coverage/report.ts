// The coverage report: where every subject in a workspace would be stored, as Markdown tables for a pull request and as data.
import type { CompiledAlgebra } from '../algebra/compiled';
import { domainTokens } from '../domain/lookup';
import type { DomainDefinition } from '../domain/model';
import { toNameToken } from '../text/names';
import { meet } from '../pattern/lattice';
import type { Severity } from '../problem';
import { assessCoverage, type CoverageKind, type CoverageProblem } from './check';
import { CoverageIndex } from './coverageIndex';
import type { LayoutStream, StreamLayout } from './layout';
import type { CoverageSource, DefinitionSource } from './scanSources';

export interface ConsumerFilters {
  stream: string;
  name: string;
  /** Empty: the consumer takes every subject of its stream. */
  filterSubjects: readonly string[];
}

export interface CoverageReportInput {
  algebra: CompiledAlgebra;
  layout: StreamLayout;
  /** An index already built over `layout`, to reuse. */
  index?: CoverageIndex;
  sources: readonly CoverageSource[];
  consumers?: readonly ConsumerFilters[];
  definitions?: readonly (DomainDefinition | DefinitionSource)[];
  /** Rows of the Markdown subject table at most (the data keeps all); uncaptured ones come first. Default 500. */
  maxRows?: number;
}

export interface SubjectRow {
  subject: string;
  kind: CoverageKind;
  prefix?: boolean;
  /** As first written, when that differs from `subject` (a playbook's `{{variables}}`): what the table shows. */
  written?: string;
  /** The streams that capture it; for a pattern, `full` says whether that stream holds every subject it matches. */
  streams: { name: string; full: boolean }[];
  full: boolean;
  problems: CoverageProblem[];
  /** Where it is written, in the order the sources came. */
  locations: { file: string; line: number }[];
}

export interface OverlapRow {
  a: string;
  aSubjects: string[];
  b: string;
  bSubjects: string[];
  /** The subjects both would capture (the meets). */
  both: string[];
  message: string;
}

export interface ConsumerRow {
  stream: string;
  name: string;
  filterSubjects: string[];
  /** No filter overlaps a subject of its stream: the consumer never gets a message. */
  matchesNothing: boolean;
  problems: CoverageProblem[];
}

export interface UnpublishedEvent {
  domain: string;
  /** The event's id (E004) and name (OrderPlaced) as written in the definition. */
  id: string;
  name: string;
  aggregate: string;
  /** The subjects the event would be published on, as a pattern. */
  subject: string;
  file?: string;
}

export interface CoverageData {
  layout: { where: string; source: StreamLayout['source']; streams: LayoutStream[] };
  subjects: SubjectRow[];
  overlaps: OverlapRow[];
  consumers: ConsumerRow[];
  unpublishedEvents: UnpublishedEvent[];
  summary: {
    files: number;
    subjects: number;
    captured: number;
    /** Domain events, commands and snapshots no stream captures (errors). */
    uncaptured: number;
    /** Other categories with a stream (projections, sagas) that none captures. */
    uncapturedOther: number;
    patternsUnmatched: number;
    overlaps: number;
    consumerProblems: number;
    unpublishedEvents: number;
  };
  /** No stored subject is uncaptured and no two streams overlap: what `cim-nats coverage` exits 0 on. */
  ok: boolean;
}

export interface CoverageReport {
  markdown: string;
  data: CoverageData;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const rank = (row: SubjectRow) => row.problems.reduce((r, p) => Math.min(r, RANK[p.severity]), 3);

export function coverageReport(input: CoverageReportInput): CoverageReport {
  const { algebra, layout } = input;
  const index = input.index ?? new CoverageIndex(layout);
  const subjects = subjectRows(input, index);
  const overlaps = index.overlappingStreams().map(o => ({
    a: o.a.name, aSubjects: [...new Set(o.on.map(x => x.a))], b: o.b.name, bSubjects: [...new Set(o.on.map(x => x.b))], both: [...new Set(o.on.map(x => x.meet))], message: o.message,
  }));
  const consumers = consumerRows(input, index);
  const unpublishedEvents = unpublished(algebra, input.definitions ?? [], subjects);
  const tally = { captured: 0, uncaptured: 0, uncapturedOther: 0, patternsUnmatched: 0 };
  for (const r of subjects) {
    if (r.streams.length > 0) tally.captured++;
    for (const p of r.problems) {
      if (p.code === 'coverage/uncaptured') tally[p.severity === 'error' ? 'uncaptured' : 'uncapturedOther']++;
      else if (p.code === 'coverage/pattern-unmatched') tally.patternsUnmatched++;
    }
  }
  const files = new Set<string>();
  for (const s of input.sources) files.add(s.file);
  const data: CoverageData = {
    layout: { where: layout.where, source: layout.source, streams: layout.streams },
    subjects,
    overlaps,
    consumers,
    unpublishedEvents,
    summary: {
      files: files.size,
      subjects: subjects.length,
      ...tally,
      overlaps: overlaps.length,
      consumerProblems: consumers.length,
      unpublishedEvents: unpublishedEvents.length,
    },
    ok: tally.uncaptured === 0 && overlaps.length === 0,
  };
  return { markdown: toMarkdown(data, input.maxRows ?? 500), data };
}

function subjectRows(input: CoverageReportInput, index: CoverageIndex): SubjectRow[] {
  // one map per kind (and prefix or not): a key built by concatenation would be copied and hashed again for every source
  const whole = new Map<CoverageKind, Map<string, SubjectRow>>();
  const prefixes = new Map<CoverageKind, Map<string, SubjectRow>>();
  const all: SubjectRow[] = [];
  for (const s of input.sources) {
    const byKind = s.prefix ? prefixes : whole;
    let rows = byKind.get(s.kind);
    if (!rows) byKind.set(s.kind, (rows = new Map()));
    const known = rows.get(s.subject);
    if (known) {
      known.locations.push({ file: s.file, line: s.line });
      continue;
    }
    const { capture, problems } = assessCoverage(input.algebra, index, s.subject, s.prefix ? { kind: s.kind, prefix: true } : { kind: s.kind });
    const row: SubjectRow = {
      subject: s.subject,
      kind: s.kind,
      streams: capture.streams.map(c => ({ name: c.stream.name, full: c.full })),
      full: capture.full,
      problems,
      locations: [{ file: s.file, line: s.line }],
    };
    if (s.prefix) row.prefix = true;
    if (s.written !== undefined) row.written = s.written;
    rows.set(s.subject, row);
    all.push(row);
  }
  // uncaptured first; within a rank, in the order they are written (a stable sort keeps the sources' order)
  const ranked = all.map(row => ({ row, rank: rank(row) }));
  ranked.sort((x, y) => x.rank - y.rank);
  return ranked.map(r => r.row);
}

function consumerRows(input: CoverageReportInput, index: CoverageIndex): ConsumerRow[] {
  const byName = new Map<string, LayoutStream>();
  for (const s of input.layout.streams) if (!byName.has(s.name)) byName.set(s.name, s);
  const out: ConsumerRow[] = [];
  for (const c of input.consumers ?? []) {
    const stream = byName.get(c.stream);
    // a mirror or sourced stream lists no subjects: what its consumers may match is not known here
    if (c.filterSubjects.length === 0 || (stream && stream.subjects.length === 0)) continue;
    const subjects = stream?.subjects;
    const matches = (f: string) => (subjects ? subjects.some(s => meet(f, s) !== null) : index.capturing(f).streams.length > 0);
    const matchesNothing = !c.filterSubjects.some(matches);
    const problems = matchesNothing
      ? []
      : c.filterSubjects.flatMap(f => assessCoverage(input.algebra, index, f, { kind: 'consumer-filter', ...(subjects ? { streamSubjects: subjects } : {}) }).problems);
    if (matchesNothing || problems.length) out.push({ stream: c.stream, name: c.name, filterSubjects: [...c.filterSubjects], matchesNothing, problems });
  }
  return out;
}

function unpublished(algebra: CompiledAlgebra, definitions: readonly (DomainDefinition | DefinitionSource)[], rows: readonly SubjectRow[]): UnpublishedEvent[] {
  if (definitions.length === 0) return [];
  const category = algebra.spec.categories.find(c => c.envelope === 'domain-event');
  if (!category) return [];
  // names compared as findEvent compares them (sameName), once per distinct token: a workspace repeats a few names many times
  const canonical = new Map<string, string>();
  const name = (token: string) => {
    let c = canonical.get(token);
    if (c === undefined) canonical.set(token, (c = toNameToken(token, 'kebab')));
    return c;
  };
  // token positions of the roles, as parseSubject assigns them: the prefix, the category token, the category's tokens
  const roles = [...algebra.spec.prefix.map(t => t.role), '', ...category.tokens.map(t => t.role)];
  const at = (role: string) => roles.indexOf(role);
  const [di, ai, ei] = [at('domain'), at('aggregate'), at('event')];
  const hasDomain = di >= 0;
  const published = new Set<string>();
  if (ai < 0 || ei < 0) return [];
  // the tokens from the category's to the last role asked, cut out without splitting the subject (its id stays whole)
  const last = Math.max(di, ai, ei, algebra.categoryIndex);
  const first = Math.min(...[di, ai, ei, algebra.categoryIndex].filter(i => i >= 0));
  const keyOf = new Map<string, string | null>();
  for (const s of rows) {
    if (s.kind !== 'publish') continue;
    const span = tokenSpan(s.subject, first, last);
    if (span === undefined) continue;
    let key = keyOf.get(span);
    if (key === undefined) {
      const t = span.split('.');
      const token = (i: number) => t[i - first]!;
      key = token(algebra.categoryIndex) === category.name ? `${hasDomain ? name(token(di)) : ''}\0${name(token(ai))}\0${name(token(ei))}` : null;
      keyOf.set(span, key);
    }
    if (key !== null) published.add(key);
  }
  const out: UnpublishedEvent[] = [];
  for (const d of definitions) {
    const { definition, file } = 'definition' in d ? d : { definition: d, file: undefined };
    const domains = hasDomain ? domainTokens(definition).map(name) : [''];
    for (const e of definition.events) {
      const tail = `\0${name(e.aggregateToken)}\0${name(e.eventToken)}`;
      if (domains.some(dt => published.has(dt + tail))) continue;
      out.push({
        domain: definition.domain, id: e.id, name: e.name, aggregate: e.aggregate,
        subject: eventPattern(algebra, category.name, { domain: definition.boundedContext ?? definition.domain, aggregate: e.aggregateToken, event: e.eventToken }),
        ...(file !== undefined ? { file } : {}),
      });
    }
  }
  return out;
}

/** Tokens first..last (0-based, inclusive) of a subject as one string, or undefined when it has fewer. */
function tokenSpan(subject: string, first: number, last: number): string | undefined {
  let start = 0;
  for (let i = 0; i < first; i++) {
    const dot = subject.indexOf('.', start);
    if (dot < 0) return undefined;
    start = dot + 1;
  }
  let end = start - 1;
  for (let i = first; i <= last; i++) {
    if (end >= subject.length) return undefined;
    const dot = subject.indexOf('.', end + 1);
    end = dot < 0 ? subject.length : dot;
  }
  return subject.slice(start, end);
}

function eventPattern(algebra: CompiledAlgebra, category: string, values: Record<string, string>): string {
  const spec = algebra.categories.get(category)!;
  return [...algebra.spec.prefix.map(t => values[t.role] ?? '*'), category, ...spec.tokens.map(t => values[t.role] ?? '*')].join('.');
}

// ---- Markdown ----

function toMarkdown(data: CoverageData, maxRows: number): string {
  const s = data.summary;
  const lines: string[] = ['# Stream coverage', ''];
  lines.push(`${plural(s.subjects, 'subject or pattern', 'subjects and patterns')} from ${plural(s.files, 'file')} checked against ${plural(data.layout.streams.length, 'stream')} ${data.layout.where}.`, '');
  const bad = [
    s.uncaptured ? `${plural(s.uncaptured, 'domain event, command or snapshot subject', 'domain event, command and snapshot subjects')} would not be stored` : '',
    s.overlaps ? `${plural(s.overlaps, 'pair of streams overlaps', 'pairs of streams overlap')}` : '',
  ].filter(Boolean);
  lines.push(bad.length ? `**Not covered:** ${bad.join('; ')}.` : '**Covered:** every domain event, command and snapshot subject is captured, and no two streams overlap.');
  const notes = [
    s.uncapturedOther ? `${plural(s.uncapturedOther, 'other subject')} no stream captures` : '',
    s.patternsUnmatched ? `${plural(s.patternsUnmatched, 'pattern')} no stream captures` : '',
    s.consumerProblems ? `${plural(s.consumerProblems, 'consumer')} with filters to fix` : '',
    s.unpublishedEvents ? `${plural(s.unpublishedEvents, 'defined event')} nothing publishes` : '',
  ].filter(Boolean);
  if (notes.length) lines.push(`Also: ${notes.join(', ')}.`);

  lines.push('', '## Subjects and patterns', '');
  if (data.subjects.length === 0) lines.push('No subjects found.');
  else {
    lines.push('| Subject | Kind | Stored in | Written at |', '|---|---|---|---|');
    for (const row of data.subjects.slice(0, maxRows)) {
      lines.push(tableRow([code(row.written ?? (row.prefix ? `${row.subject}.…` : row.subject)), row.kind, storedIn(row), locations(row.locations)]));
    }
    if (data.subjects.length > maxRows) lines.push('', `… and ${data.subjects.length - maxRows} more (all of them in the JSON output).`);
  }

  lines.push('', '## Streams whose subjects overlap', '');
  if (data.overlaps.length === 0) lines.push('None: no subject is captured by two streams.');
  else {
    lines.push('| Stream | Subjects | Stream | Subjects | Both capture |', '|---|---|---|---|---|');
    for (const o of data.overlaps) lines.push(tableRow([o.a, codes(o.aSubjects), o.b, codes(o.bSubjects), codes(o.both)]));
    lines.push('', 'One account cannot hold two streams that capture the same subject: nats-server refuses the second.');
  }

  const nothing = data.consumers.filter(c => c.matchesNothing);
  lines.push('', '## Consumers whose filters match nothing', '');
  if (nothing.length === 0) lines.push('None.');
  else {
    lines.push('| Stream | Consumer | Filters |', '|---|---|---|');
    for (const c of nothing) lines.push(tableRow([c.stream, c.name, codes(c.filterSubjects)]));
  }
  const outside = data.consumers.filter(c => !c.matchesNothing);
  if (outside.length) {
    lines.push('', '## Consumer filters outside their stream', '', '| Stream | Consumer | Filter | Fix |', '|---|---|---|---|');
    for (const c of outside) {
      for (const p of c.problems) {
        const fix = p.fix?.kind === 'narrow-filter' && p.fix.filters.length ? `narrow to ${codes(p.fix.filters)}` : 'matches nothing the stream stores';
        lines.push(tableRow([c.stream, c.name, code(p.subject), fix]));
      }
    }
  }

  lines.push('', '## Defined events nothing publishes', '');
  if (data.unpublishedEvents.length === 0) lines.push('None: every event of the domain definitions is published somewhere, or there are no definitions.');
  else {
    lines.push('| Domain | Event | Subject | Definition |', '|---|---|---|---|');
    for (const e of data.unpublishedEvents) {
      lines.push(tableRow([e.domain, `${e.name} (${e.id})`, code(e.subject), e.file !== undefined ? link(e.file) : '']));
    }
  }
  return lines.join('\n') + '\n';
}

function storedIn(row: SubjectRow): string {
  if (row.streams.length) {
    return row.streams.map(s => (s.full ? s.name : `${s.name} (part)`)).join(', ');
  }
  const p = row.problems[0];
  if (p?.code === 'coverage/uncaptured' && p.fix?.kind === 'init-streams') {
    const how = p.fix.domain !== undefined ? `: \`cim-nats init-streams${p.fix.environment ? ` --env ${p.fix.environment}` : ''} ${p.fix.domain}\`` : '';
    return `${p.severity === 'error' ? '**none**' : 'none'}, not stored (create ${p.fix.stream}, ${code(p.fix.subjects)}${how})`;
  }
  // no fix: init-streams would refuse the subject's domain or environment as written; the message says which
  if (p?.code === 'coverage/uncaptured') return `${p.severity === 'error' ? '**none**' : 'none'}, not stored (${p.message.slice(p.message.lastIndexOf('; ') + 2)})`;
  if (p?.code === 'coverage/pattern-unmatched') return 'none (live messages only)';
  return 'none';
}

const MAX_LOCATIONS = 3;

function locations(list: readonly { file: string; line: number }[]): string {
  const shown = list.slice(0, MAX_LOCATIONS).map(l => link(l.file, l.line));
  if (list.length > MAX_LOCATIONS) shown.push(`and ${list.length - MAX_LOCATIONS} more`);
  return shown.join(', ');
}

/** A relative Markdown link, `[src/a.ts:3](src/a.ts#L3)`, that GitHub and VS Code both open at the line. */
function link(file: string, line?: number): string {
  const path = file.replace(/\\/g, '/');
  const target = path.split('/').map(encodeURIComponent).join('/');
  const text = path.replace(/[[\]]/g, '\\$&');
  return line === undefined ? `[${text}](${target})` : `[${text}:${line}](${target}#L${line})`;
}

function code(text: string): string {
  return `\`${text}\``;
}

function codes(list: readonly string[]): string {
  return list.map(code).join(', ');
}

/** Cells may not hold a pipe or a line break; backticks keep wildcards from being read as Markdown. */
function tableRow(cells: readonly string[]): string {
  return `| ${cells.map(c => c.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')).join(' | ')} |`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
