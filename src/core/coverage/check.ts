// Would a subject be stored? Problems as data, each with a code, a sentence that names the fix and, where one exists, a fix to run.
import type { CompiledAlgebra } from '../algebra/compiled';
import { fillTemplate } from '../algebra/describe';
import type { CategorySpec, EnvelopeKind } from '../algebra/schema';
import type { Problem, Severity } from '../problem';
import { meetWithin } from '../pattern/lattice';
import { validateSubject } from '../subject/validate';
import type { Capture, CoverageIndex } from './coverageIndex';
import { coveredBy } from './lattice';
import { templateRoles } from './layout';

export type CoverageKind = 'publish' | 'pattern' | 'consumer-filter';

export type CoverageCode = 'coverage/uncaptured' | 'coverage/pattern-unmatched' | 'coverage/filter-outside-stream';

export type CoverageFix =
  /**
   * Create the streams `cim-nats init-streams --env <environment> <domain>` creates; the stream that would capture the
   * subject is named. Only offered for a domain and environment init-streams accepts. `renamed`: the fix is for the
   * subject as the algebra's rename writes it, so the rename comes first.
   */
  | { kind: 'init-streams'; domain?: string; environment?: string; stream: string; subjects: string; renamed?: string }
  /** Replace the consumer's filter with these (its meet with the stream's subjects); empty when nothing of the stream matches. */
  | { kind: 'narrow-filter'; filters: string[] };

/** A Problem about the whole subject (start 0, end its length; no text edits), with a fix to run rather than to type. */
export interface CoverageProblem extends Problem {
  code: CoverageCode;
  subject: string;
  fix?: CoverageFix;
}

export interface CheckCoverageOptions {
  kind: CoverageKind;
  /** consumer-filter: the subjects of the consumer's stream; without them, any one stream of the index must hold the filter. */
  streamSubjects?: readonly string[];
  /** publish: the subject is the start of one (a literal cut at an interpolation): captured when a stream may hold what follows. */
  prefix?: boolean;
}

export interface CoverageAssessment {
  capture: Capture;
  problems: CoverageProblem[];
  /** The subject as the algebra's renames write it (`Sales` → `sales`), when it was checked so: no stream captures it as written. */
  renamed?: string;
}

/** What the server keeps for ever or for a while: a message of these kinds that no stream captures is lost. */
const STORED: ReadonlySet<EnvelopeKind> = new Set(['domain-event', 'command', 'snapshot']);

export function checkCoverage(algebra: CompiledAlgebra, index: CoverageIndex, subject: string, options: CheckCoverageOptions): CoverageProblem[] {
  return assessCoverage(algebra, index, subject, options).problems;
}

/** checkCoverage with the capture it was decided on, for callers that show both (hover, the report). */
export function assessCoverage(algebra: CompiledAlgebra, index: CoverageIndex, subject: string, options: CheckCoverageOptions): CoverageAssessment {
  return assess(algebra, index, subject, options, true);
}

function assess(algebra: CompiledAlgebra, index: CoverageIndex, subject: string, options: CheckCoverageOptions, rename: boolean): CoverageAssessment {
  const where = index.layout.where;
  if (options.kind === 'consumer-filter') return checkFilter(index, subject, options.streamSubjects);
  const asked = options.kind === 'publish' && options.prefix ? `${subject}.>` : subject;
  const capture = index.capturing(asked);
  const problems: CoverageProblem[] = [];
  if (capture.streams.length > 0) return { capture, problems };
  // a name the algebra renames (`Sales`): the streams are made for the renamed one, so that is what coverage checks
  const renamed = rename ? renamedSubject(algebra, subject, options.kind === 'pattern') : undefined;
  if (renamed !== undefined) {
    const as = assess(algebra, index, renamed, options, false);
    return {
      capture: as.capture,
      renamed,
      problems: as.problems.map(p => ({
        ...p,
        end: subject.length,
        subject,
        message: p.message.startsWith(renamed) ? `${subject} renamed to ${p.message}` : `${subject} renamed to ${renamed}: ${p.message}`,
        ...(p.fix?.kind === 'init-streams' ? { fix: { ...p.fix, renamed } } : {}),
      })),
    };
  }
  if (options.kind === 'pattern') {
    problems.push(coverageProblem('coverage/pattern-unmatched', 'info', subject,
      `no stream ${where} captures any subject of ${subject}: a subscriber gets only what is published while it listens, nothing is stored to replay`));
    return { capture, problems };
  }
  const tokens = subject.split('.');
  const category = algebra.categories.get(tokens[algebra.categoryIndex] ?? '');
  const plan = category?.stream ? planFor(algebra, category) : undefined;
  if (!plan) return { capture, problems };
  // the stream that would capture it depends only on a few tokens (env, domain): worked out once per index and values
  const values = plan.positions.map(i => tokens[i]);
  const key = `${category!.name}\0${values.join('\0')}`;
  let cache = uncapturedCache.get(index);
  if (!cache) uncapturedCache.set(index, (cache = new Map()));
  let known = cache.get(key);
  if (!known) cache.set(key, (known = uncaptured(algebra, category!, plan, values, where)));
  problems.push(coverageProblem('coverage/uncaptured', known.severity, subject, `${subject}${known.tail}`, known.fix ? { ...known.fix } : undefined));
  return { capture, problems };
}

interface UncapturedPlan {
  /** The template's roles and the environment role, each with the token position parseSubject gives it. */
  roles: string[];
  positions: number[];
  envRole?: string;
  domain: boolean;
}

interface Uncaptured {
  severity: Severity;
  /** The message after the subject. */
  tail: string;
  /** None when init-streams would refuse the names. */
  fix?: CoverageFix;
}

const plans = new WeakMap<CategorySpec, UncapturedPlan>();
const uncapturedCache = new WeakMap<CoverageIndex, Map<string, Uncaptured>>();

function planFor(algebra: CompiledAlgebra, category: CategorySpec): UncapturedPlan {
  let plan = plans.get(category);
  if (!plan) {
    const spec = category.stream!;
    const envRole = algebra.environmentIndex >= 0 ? algebra.spec.prefix[algebra.environmentIndex]!.role : undefined;
    const templated = templateRoles(`${spec.name} ${spec.subjects}`);
    const order = [...algebra.spec.prefix.map(t => t.role), '', ...category.tokens.map(t => t.role)];
    const roles = [...new Set([...templated, ...(envRole ? [envRole] : [])])].filter(r => order.includes(r));
    plan = { roles, positions: roles.map(r => order.indexOf(r)), ...(envRole ? { envRole } : {}), domain: templated.includes('domain') };
    plans.set(category, plan);
  }
  return plan;
}

function uncaptured(algebra: CompiledAlgebra, category: CategorySpec, plan: UncapturedPlan, tokens: (string | undefined)[], where: string): Uncaptured {
  const spec = category.stream!;
  const values: Record<string, string> = {};
  plan.roles.forEach((role, i) => {
    const v = tokens[i];
    if (v !== undefined && v !== '*' && v !== '>') values[role] = v;
  });
  // a role the subject does not fill (a cut literal) stays open in the stream that would capture it
  const open = Object.fromEntries(templateRoles(spec.subjects).map(role => [role, '*']));
  const subjects = fillTemplate(spec.subjects, { ...open, ...values });
  const stream = fillTemplate(spec.name, values);
  const environment = plan.envRole ? values[plan.envRole] : undefined;
  const domain = plan.domain ? values.domain : undefined;
  const severity = STORED.has(category.envelope) ? 'error' : 'warning';
  const head = ` would not be stored: no stream ${where} captures ${subjects}`;
  // init-streams refuses these (and so would the quick fix): the name is the algebra diagnostics' to fix first
  if (domain !== undefined && !algebra.nameRe.test(domain)) {
    return { severity, tail: `${head}; no stream can be created for the domain "${domain}" until it is a ${algebra.nameCase}-case name` };
  }
  if (environment !== undefined && !algebra.environments.has(environment)) {
    return { severity, tail: `${head}; no stream can be created for the environment "${environment}" until it is one of ${[...algebra.environments].join(', ')}` };
  }
  const how = domain !== undefined ? `cim-nats init-streams${environment ? ` --env ${environment}` : ''} ${domain}` : undefined;
  return {
    severity,
    tail: head + (how ? `; create ${stream} with ${how}` : `; create ${stream} with subjects ${subjects}`),
    fix: { kind: 'init-streams', ...(domain !== undefined ? { domain } : {}), ...(environment !== undefined ? { environment } : {}), stream, subjects },
  };
}

/**
 * The subject with every rename the algebra's name rule offers applied (`dev.domain.Sales.…` → `dev.domain.sales.…`),
 * or undefined when it offers none. Only renames of one token: a split or a replacement is a guess, not the same name.
 */
export function renamedSubject(algebra: CompiledAlgebra, subject: string, pattern: boolean): string | undefined {
  const renames = validateSubject(algebra, subject, { pattern, style: false, newUuid: () => '' })
    .filter(p => p.code === 'algebra/name-rule')
    .flatMap(p => p.fixes.filter(f => f.start === p.start && f.end === p.end && !f.newText.includes('.')).slice(0, 1))
    .sort((a, b) => b.start - a.start);
  if (renames.length === 0) return undefined;
  let out = subject;
  for (const f of renames) out = out.slice(0, f.start) + f.newText + out.slice(f.end);
  return out === subject ? undefined : out;
}

function checkFilter(index: CoverageIndex, filter: string, streamSubjects: readonly string[] | undefined): CoverageAssessment {
  const capture = index.capturing(filter);
  const problems: CoverageProblem[] = [];
  if (streamSubjects) {
    if (!coveredBy(filter, streamSubjects)) {
      const filters = meetWithin(filter, streamSubjects);
      problems.push(coverageProblem('coverage/filter-outside-stream', 'error', filter,
        `consumer filter ${filter} is not inside its stream's subjects (${streamSubjects.join(', ') || 'none'}): ` +
        (filters.length ? `narrow it to ${filters.join(', ')}` : 'it matches nothing the stream stores; use a filter within the stream\'s subjects'),
        { kind: 'narrow-filter', filters }));
    }
    return { capture, problems };
  }
  if (!capture.streams.some(s => s.full)) {
    const filters = meetWithin(filter, capture.streams.flatMap(s => s.subjects));
    problems.push(coverageProblem('coverage/filter-outside-stream', 'error', filter,
      `consumer filter ${filter} is inside no one stream ${index.layout.where}: ` +
      (filters.length ? `narrow it to a stream's subjects, e.g. ${filters[0]}` : 'no stream captures any subject it matches'),
      { kind: 'narrow-filter', filters }));
  }
  return { capture, problems };
}


function coverageProblem(code: CoverageCode, severity: Severity, subject: string, message: string, fix?: CoverageFix): CoverageProblem {
  return { code, severity, start: 0, end: subject.length, message, fixes: [], subject, ...(fix ? { fix } : {}) };
}
