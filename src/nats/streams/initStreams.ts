// "Initialize the CIM streams" as a plan the user reads before anything changes, then applied: creates and in-place
// updates only, so applying a plan twice changes nothing the second time. Shared by the CLI, npm start and VS Code.
import { JetStreamApiError, StorageType, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import { overlap, subset } from '../../core/pattern/lattice';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { changedFields, cimStreamTargets, durationToNanos, scopeSubjects, sendStreamConfig, type CimStreamConfig, type CimStreamTarget } from './cimStreams';
import { API } from '../errors/apiCodes';
import { formatBytes, formatNanos } from '../../core/text/format';

/** What planning and applying need of a connection: a `NatsSession` or anything shaped like one. */
export type StreamSession = Pick<NatsSession, 'nc' | 'server' | 'jetstreamManager' | 'describe'>;

/**
 * An environment profile of the CIM-Start guide ("dev retention 1 day, 1 replica, events on file and commands in
 * memory; staging 7 days, 1 replica, file; prod 30+ days, 3 replicas (cluster), file"), read on top of the
 * algebra's stream table.
 */
export interface EnvironmentProfile {
  environment: string;
  /** An upper bound on every stream's max age: a stream whose own is shorter keeps it (commands' 1h). */
  maxAge?: string;
  /** A lower bound on the max age of domain-event streams ("30+ days"); it caps nothing. */
  minEventAge?: string;
  /** Every stream's storage; absent, each stream keeps the table's (dev: events on file, commands in memory). */
  storage?: 'file';
  /** Replicas on a cluster; a single server always keeps 1. */
  replicas: number;
}

// Retention is read as a bound, not a value: dev's and staging's days cap every stream (a command that waits a day is
// noise), while prod's "30+ days" is a floor for domain events that the table's 30d meets, so prod keeps the table's
// max ages (snapshots stay 90d, projections and sagas 7d). Replicas 3 only where a cluster can hold them.
const PROFILES: Record<string, Omit<EnvironmentProfile, 'environment'>> = {
  dev: { maxAge: '1d', replicas: 1 },
  staging: { maxAge: '7d', storage: 'file', replicas: 1 },
  prod: { minEventAge: '30d', storage: 'file', replicas: 3 },
};

/** The profile of an environment: CIM-Start's by name, prod's for another environment the algebra marks as production. */
export function environmentProfile(algebra: CompiledAlgebra, environment: string): EnvironmentProfile | undefined {
  const known = Object.hasOwn(PROFILES, environment) ? PROFILES[environment] : algebra.productionEnvironments.has(environment) ? PROFILES.prod : undefined;
  return known ? { environment, ...known } : undefined;
}

export type PlanAction = 'create' | 'unchanged' | 'update' | 'recreate' | 'conflict' | 'refused';

/** A config field whose value on the server (`from`) differs from the plan's (`to`), in JetStream's units (ns, bytes). */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface StreamPlanRow {
  name: string;
  subjects: string[];
  action: PlanAction;
  /** For `update` and `recreate`: every field that differs. */
  changes?: FieldChange[];
  /** For `recreate`, `conflict` and `refused`: one sentence naming the problem and the fix. */
  reason?: string;
  /** The config a create or update sends. */
  config: CimStreamConfig;
  /** For `conflict`: the streams whose subjects overlap this one's, or the stream itself when the plan would narrow its subjects. */
  conflictsWith?: { name: string; subjects: string[] }[];
  /** For subjects the server refuses: the environment-scoped ones it accepts. */
  suggestion?: { subjects: string[] };
}

export interface CimStreamPlan {
  /** The server as shown to the user (no credentials). */
  server: string;
  serverVersion: string;
  /** Present when the server is part of a cluster; `servers` when the server lists its peers. */
  cluster?: { name: string; servers?: number };
  environment: string;
  scope: 'environment' | 'all';
  domains: string[];
  /** The profile applied; absent when asked not to or the environment has none. */
  profile?: EnvironmentProfile;
  replicas: number;
  /** Why that many replicas, as a clause: "the prod profile on cluster C of 3 servers". */
  replicasReason: string;
  rows: StreamPlanRow[];
}

export interface PlanCimStreamsOptions {
  domains: string[];
  environment: string;
  /** `environment` (default form, `dev.domain.sales.>`) or `all` (CIM-Start's docs, `*.domain.sales.>`). */
  scope: 'environment' | 'all';
  /** Replicas for every stream, instead of the profile's. */
  replicas?: number;
  /** Apply the environment's profile (default true); false keeps the algebra's table as it is. */
  profile?: boolean;
  signal?: AbortSignal;
}

/**
 * Reads the server's streams and says, per stream the algebra names, what Initialize would do; changes nothing.
 * Throws (a sentence) for a domain or environment the algebra does not allow and when the streams cannot be listed.
 */
export async function planCimStreams(session: StreamSession, algebra: CompiledAlgebra, options: PlanCimStreamsOptions): Promise<CimStreamPlan> {
  if (options.replicas !== undefined && !(Number.isInteger(options.replicas) && options.replicas >= 1 && options.replicas <= 5)) {
    throw new NatsUserError(`${options.replicas} replicas is not possible: JetStream keeps 1 to 5 replicas of a stream.`);
  }
  const targets = cimStreamTargets(algebra, options);
  const info = session.nc.info;
  const serverVersion = info?.version ?? 'unknown';
  const cluster = info?.cluster ? { name: info.cluster, ...(info.connect_urls?.length ? { servers: info.connect_urls.length } : {}) } : undefined;
  const profile = options.profile === false ? undefined : environmentProfile(algebra, options.environment);
  const replicas = chooseReplicas(session.server, cluster, profile, options.replicas);
  options.signal?.throwIfAborted();
  const state = await readStreams(session, await session.jetstreamManager(), targets.map(t => t.config.name));
  options.signal?.throwIfAborted();

  const rows: StreamPlanRow[] = [];
  // Subjects each stream will have once the plan is applied, for overlaps between streams of the plan itself.
  const subjectsAfter = new Map([...state.infos].map(([name, si]) => [name, si.config.subjects ?? []]));
  for (const target of targets) {
    const row = planRow(session, withProfile(target, profile, replicas.count), { state, subjectsAfter, serverVersion, environment: options.environment, replicas });
    if (row.action === 'create' || row.action === 'update') subjectsAfter.set(row.name, row.subjects);
    rows.push(row);
  }
  return {
    server: session.server,
    serverVersion,
    ...(cluster ? { cluster } : {}),
    environment: options.environment,
    scope: options.scope,
    domains: [...options.domains],
    ...(profile ? { profile } : {}),
    replicas: replicas.count,
    replicasReason: replicas.reason,
    rows,
  };
}

interface ServerStreams {
  infos: Map<string, StreamInfo>;
  /** Streams that exist but could not be read (in a cluster: no leader), with the reason. */
  unreadable: Map<string, string>;
}

async function readStreams(session: StreamSession, jsm: JetStreamManager, wanted: string[]): Promise<ServerStreams> {
  const infos = new Map<string, StreamInfo>();
  const unreadable = new Map<string, string>();
  const names = new Set<string>();
  try {
    for await (const si of jsm.streams.list()) infos.set(si.config.name, si);
    for await (const name of jsm.streams.names()) names.add(name);
  } catch (e) {
    throw new NatsUserError(session.describe(e, { action: 'listing the streams' }), { cause: e });
  }
  // In a cluster the list silently leaves out a stream whose leader is missing; its name is still listed.
  for (const name of wanted.filter(n => names.has(n) && !infos.has(n))) {
    try {
      infos.set(name, await jsm.streams.info(name));
    } catch (e) {
      unreadable.set(name, session.describe(e, { action: `reading stream ${name}`, stream: name }));
    }
  }
  return { infos, unreadable };
}

interface RowContext {
  state: ServerStreams;
  subjectsAfter: Map<string, string[]>;
  serverVersion: string;
  environment: string;
  replicas: Replicas;
}

function planRow(session: StreamSession, config: CimStreamConfig, ctx: RowContext): StreamPlanRow {
  const { name, subjects } = config;
  const row = { name, subjects, config };
  const refusal = subjectRefusal(subjects, ctx.serverVersion);
  if (refusal) {
    const suggestion = { subjects: scopeSubjects(subjects, ctx.environment) };
    // The sentence the server's own refusal gets, decided from its version before anything is sent.
    const refused = new JetStreamApiError({ code: 400, err_code: API.STREAM_CONFIG_INVALID, description: refusal });
    const reason = session.describe(refused, {
      action: `creating stream ${name}`, stream: name, serverVersion: ctx.serverVersion, refusedSubjects: { subjects, suggestion: suggestion.subjects },
    });
    return { ...row, action: 'refused', reason, suggestion };
  }
  if (ctx.replicas.refusal) return { ...row, action: 'refused', reason: ctx.replicas.refusal };
  const unreadable = ctx.state.unreadable.get(name);
  if (unreadable) return { ...row, action: 'refused', reason: unreadable };

  const have = ctx.state.infos.get(name);
  const changes = have ? fieldChanges(config, have.config) : [];
  if (have && changes.length === 0) return { ...row, action: 'unchanged' };
  const fixed = changes.filter(c => !updatableInPlace(c, ctx.serverVersion));
  if (have && fixed.length > 0) return { ...row, action: 'recreate', changes, reason: recreateReason(name, fixed, have.state.messages) };
  // Same name, other subjects: most often another environment's stream (the names hold no environment). Updating it
  // would silently stop it storing what it stores now.
  const current = have?.config.subjects ?? [];
  const dropped = current.filter(s => !subjects.some(w => subset(s, w)));
  if (have && dropped.length > 0) {
    const reason = `Stream ${name} on ${session.server} captures ${current.join(', ')}, and this plan's subjects (${subjects.join(', ')}) leave out ${dropped.join(', ')}: updating it would stop it storing them. Initialize never narrows a stream's subjects: use a server or account per environment, or change the stream by hand.`;
    return { ...row, action: 'conflict', changes, reason, conflictsWith: [{ name, subjects: [...current] }] };
  }

  const conflictsWith = [...ctx.subjectsAfter]
    .filter(([other, theirs]) => other !== name && theirs.some(s => subjects.some(c => overlap(s, c))))
    .map(([other, theirs]) => ({ name: other, subjects: [...theirs] }));
  if (conflictsWith.length > 0) {
    const others = conflictsWith.map(o => `${o.name} (${o.subjects.join(', ')})`).join(', ');
    const reason = `Stream ${name}'s subjects (${subjects.join(', ')}) overlap those of ${others} on ${session.server}, and a server refuses two streams that capture the same subject: delete or narrow the other stream, or change this one's subjects.`;
    return { ...row, action: 'conflict', reason, conflictsWith, ...(have ? { changes } : {}) };
  }
  return have ? { ...row, action: 'update', changes } : { ...row, action: 'create' };
}

/** The server's refusal of a stream's subjects (its description text), as nats-server 2.10+ and 2.11+ give it. */
function subjectRefusal(subjects: readonly string[], version: string): string | undefined {
  if (atLeast(version, '2.10.0') && subjects.includes('>')) return 'capturing all subjects requires no-ack to be true';
  // A leading wildcard token could capture $JS.API.> (nats-server PR #6786); a bare `*` is still accepted.
  if (atLeast(version, '2.11.0') && subjects.some(s => s.startsWith('*.'))) return 'subjects that overlap with jetstream api require no-ack to be true';
  return undefined;
}

/** `2.15.1` ≥ `2.11.0`, on the numeric parts; an unknown version is older than everything (the server still decides). */
function atLeast(version: string, wanted: string): boolean {
  const parse = (v: string) => (/^v?(\d+)\.(\d+)\.(\d+)/.exec(v) ?? []).slice(1, 4).map(Number);
  const have = parse(version);
  if (have.length < 3) return false;
  const want = parse(wanted);
  const i = have.findIndex((n, k) => n !== want[k]);
  return i < 0 || have[i]! > want[i]!;
}

/**
 * What a server changes in place, measured on 2.9.10, 2.10.27 and 2.15.1: never storage; retention not at all on
 * 2.9, and on 2.10+ between limits and interest but not to or from workqueue. Everything Initialize sets beside them
 * (subjects, max age, sizes, dupe window, discard, rollup, replicas on a cluster) is updated in place.
 */
function updatableInPlace(change: FieldChange, version: string): boolean {
  if (change.field === 'storage') return false;
  if (change.field === 'retention') return atLeast(version, '2.10.0') && change.from !== 'workqueue' && change.to !== 'workqueue';
  return true;
}

function recreateReason(name: string, fixed: FieldChange[], messages: number): string {
  const what = fixed.map(c => `${FIELD_LABELS[c.field] ?? c.field} from ${formatValue(c.field, c.from)} to ${formatValue(c.field, c.to)}`).join(' and ');
  const loses = messages > 0 ? `, and deleting it loses its ${messages.toLocaleString('en-US')} message${messages === 1 ? '' : 's'}` : '';
  return `Stream ${name} must be deleted and recreated to change ${what}: Initialize never does that silently${loses}.`;
}

/** Differences Initialize acts on: a stream's description is a label, not worth an update (CIM-Start's script sets none). */
function fieldChanges(wanted: CimStreamConfig, actual: StreamInfo['config']): FieldChange[] {
  return changedFields(wanted, actual)
    .filter(f => f !== 'description')
    .map(field => ({ field, from: actual[field as keyof StreamInfo['config']], to: wanted[field as keyof CimStreamConfig] }));
}

function withProfile(target: CimStreamTarget, profile: EnvironmentProfile | undefined, replicas: number): CimStreamConfig {
  const config: CimStreamConfig = { ...target.config, subjects: [...target.config.subjects], num_replicas: replicas };
  if (profile?.storage) config.storage = StorageType.File;
  if (profile?.maxAge) {
    const cap = durationToNanos(profile.maxAge);
    if (config.max_age === 0 || config.max_age > cap) config.max_age = cap;
  }
  if (profile?.minEventAge && target.category.envelope === 'domain-event') {
    const floor = durationToNanos(profile.minEventAge);
    if (config.max_age > 0 && config.max_age < floor) config.max_age = floor;
  }
  // The server refuses a duplicate window longer than the max age (every version).
  if (config.duplicate_window !== undefined && config.max_age > 0 && config.duplicate_window > config.max_age) config.duplicate_window = config.max_age;
  return config;
}

interface Replicas {
  count: number;
  reason: string;
  /** Set when the server cannot keep that many: every row is refused with it. */
  refusal?: string;
}

function chooseReplicas(server: string, cluster: CimStreamPlan['cluster'], profile: EnvironmentProfile | undefined, asked: number | undefined): Replicas {
  const ofCluster = cluster ? `cluster ${cluster.name}${cluster.servers ? ` of ${cluster.servers} servers` : ''}` : '';
  if (asked !== undefined) {
    if (asked > 1 && !cluster) {
      return { count: asked, reason: 'as asked', refusal: `${server} is a single server, not a cluster: it cannot keep ${asked} replicas of a stream; ask for 1 replica, or initialize on a cluster.` };
    }
    if (cluster?.servers !== undefined && asked > cluster.servers) {
      return { count: asked, reason: 'as asked', refusal: `The ${ofCluster} at ${server} cannot keep ${asked} replicas of a stream: ask for at most ${cluster.servers}.` };
    }
    return { count: asked, reason: 'as asked' };
  }
  const wanted = profile?.replicas ?? 1;
  if (wanted <= 1) return { count: 1, reason: profile ? `the ${profile.environment} profile keeps 1` : 'no profile asks for more' };
  if (!cluster) return { count: 1, reason: `the ${profile!.environment} profile wants ${wanted} on a cluster, and ${server} is a single server` };
  const count = Math.min(wanted, cluster.servers ?? wanted);
  return { count, reason: `the ${profile!.environment} profile on ${ofCluster}` };
}

// ---- Applying ----

export type ApplyAction = 'created' | 'updated' | 'unchanged' | 'skipped' | 'cancelled' | 'failed';

export interface StreamApplyResult {
  name: string;
  action: ApplyAction;
  /** For `updated`: what changed. */
  changes?: FieldChange[];
  /** For `skipped` (the plan's reason), `cancelled` and `failed`: one sentence. */
  reason?: string;
  /** For `failed`: the client's error, for the log. */
  error?: unknown;
  /** For subjects the server refuses: the environment-scoped ones it accepts. */
  suggestion?: { subjects: string[] };
}

export interface ApplyCimStreamPlanOptions {
  /** Called after each row with what happened to it. */
  onProgress?: (result: StreamApplyResult, index: number, total: number) => void;
  /** Rows not sent yet when it aborts come back `cancelled`. */
  signal?: AbortSignal;
}

/**
 * Sends the plan's `create` and `update` rows, one by one; `recreate`, `conflict` and `refused` rows are skipped with
 * their reason (Initialize never deletes). A failure is reported and the rest go on.
 */
export async function applyCimStreamPlan(session: StreamSession, plan: CimStreamPlan, options: ApplyCimStreamPlanOptions = {}): Promise<StreamApplyResult[]> {
  const sends = plan.rows.some(r => r.action === 'create' || r.action === 'update');
  const jsm = sends ? await session.jetstreamManager() : undefined;
  const results: StreamApplyResult[] = [];
  for (const [i, row] of plan.rows.entries()) {
    const result = await applyRow(session, jsm, plan, row, options.signal);
    results.push(result);
    options.onProgress?.(result, i, plan.rows.length);
  }
  return results;
}

async function applyRow(session: StreamSession, jsm: JetStreamManager | undefined, plan: CimStreamPlan, row: StreamPlanRow, signal: AbortSignal | undefined): Promise<StreamApplyResult> {
  const { name } = row;
  switch (row.action) {
    case 'unchanged':
      return { name, action: 'unchanged' };
    case 'recreate':
    case 'conflict':
    case 'refused':
      return { name, action: 'skipped', ...(row.reason ? { reason: row.reason } : {}), ...(row.suggestion ? { suggestion: row.suggestion } : {}) };
    case 'create':
    case 'update': {
      if (signal?.aborted) return { name, action: 'cancelled', reason: `Initialize was cancelled before stream ${name} was ${row.action === 'create' ? 'created' : 'updated'}.` };
      const sent = await sendStreamConfig(jsm!, row.config, row.action === 'update', { describe: session.describe, environment: plan.environment, serverVersion: plan.serverVersion });
      const { changed: _changed, ...result } = sent;
      return result.action === 'updated' && row.changes ? { ...result, changes: row.changes } : result;
    }
  }
}

/** Whether every row of a plan is what the server will hold after applying it (nothing to recreate, no conflict, nothing refused). */
export function planIsApplicable(plan: CimStreamPlan): boolean {
  return plan.rows.every(r => r.action === 'create' || r.action === 'update' || r.action === 'unchanged');
}

// ---- The plan as the user reads it ----

const ACTION_TOTALS: [PlanAction, string][] = [
  ['create', 'to create'], ['update', 'to update'], ['unchanged', 'unchanged'],
  ['recreate', 'to delete and recreate (not done)'], ['conflict', 'in conflict'], ['refused', 'refused'],
];

/** The plan as a Markdown document: what the user reads before confirming. */
export function formatPlan(plan: CimStreamPlan): string {
  const where = `${plan.server} (nats-server ${plan.serverVersion}, ${plan.cluster ? `cluster ${plan.cluster.name}${plan.cluster.servers ? ` of ${plan.cluster.servers} servers` : ''}` : 'single server'})`;
  const form = plan.scope === 'all' ? `all environments in one stream (\`*.…\`, CIM-Start's docs)` : `\`${plan.environment}.…\` subjects, one stream per environment`;
  const lines = [
    `# Initialize the CIM streams`,
    '',
    `- **Server:** ${escape(where)}`,
    `- **Environment:** ${plan.environment}; ${form}`,
    `- **Domains:** ${plan.domains.length > 0 ? plan.domains.join(', ') : 'none (only the streams shared by every domain)'}`,
    `- **Profile:** ${plan.profile ? describeProfile(plan.profile) : "none: the algebra's stream table as it is"}`,
    `- **Replicas:** ${plan.replicas} (${escape(plan.replicasReason)})`,
    '',
    '| Stream | Subjects | Action | What changes / why |',
    '|---|---|---|---|',
    ...plan.rows.map(r => `| ${escape(r.name)} | ${r.subjects.map(code).join(', ')} | ${r.action} | ${escape(rowDetail(r))} |`),
    '',
    `**Totals:** ${plan.rows.length} stream${plan.rows.length === 1 ? '' : 's'}: ${totals(plan)}.`,
    '',
    'Initialize creates missing streams and updates changed ones in place; it never deletes a stream or its messages.',
  ];
  return lines.join('\n') + '\n';
}

/** What applying did to one stream, as a Markdown list item: `- DOMAIN_SALES_EVENTS: updated: max age 30d → 1d`. */
export function formatApplyResult(r: StreamApplyResult): string {
  const changes = r.changes?.length ? `: ${r.changes.map(formatChange).join('; ')}` : '';
  return `- ${r.name}: ${r.action}${changes}${r.reason ? ` — ${r.reason}` : ''}`;
}

/** What applying did, as Markdown lines: one per stream, then the totals. */
export function formatApplyResults(results: readonly StreamApplyResult[]): string {
  const lines = results.map(formatApplyResult);
  const counts = (['created', 'updated', 'unchanged', 'skipped', 'cancelled', 'failed'] as const)
    .map(a => [a, results.filter(r => r.action === a).length] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} ${a}`);
  return [...lines, '', `**Done:** ${counts.join(', ') || 'nothing to do'}.`].join('\n') + '\n';
}

function totals(plan: CimStreamPlan): string {
  return ACTION_TOTALS.map(([action, label]) => [plan.rows.filter(r => r.action === action).length, label] as const)
    .filter(([n]) => n > 0)
    .map(([n, label]) => `${n} ${label}`)
    .join(', ');
}

function describeProfile(p: EnvironmentProfile): string {
  const parts = [
    p.maxAge ? `max age at most ${p.maxAge} (a stream keeps a shorter one of its own)` : p.minEventAge ? `domain events kept at least ${p.minEventAge}, other streams their own max age` : 'each stream its own max age',
    p.storage ? `every stream on ${p.storage}` : 'each stream its own storage',
    p.replicas > 1 ? `${p.replicas} replicas on a cluster` : '1 replica',
  ];
  return `${p.environment} (CIM-Start guide): ${parts.join(', ')}`;
}

function rowDetail(r: StreamPlanRow): string {
  switch (r.action) {
    case 'create':
      return summarize(r.config);
    case 'unchanged':
      return '';
    case 'update':
      return (r.changes ?? []).map(formatChange).join('; ');
    default: {
      const changes = r.changes?.length ? `${r.changes.map(formatChange).join('; ')}. ` : '';
      return `${changes}${r.reason ?? ''}`;
    }
  }
}

function summarize(c: CimStreamConfig): string {
  const parts = [
    c.storage,
    c.retention,
    `max age ${formatValue('max_age', c.max_age)}`,
    ...(c.duplicate_window !== undefined ? [`dupe window ${formatValue('duplicate_window', c.duplicate_window)}`] : []),
    ...(c.max_msgs > 0 ? [`max ${c.max_msgs.toLocaleString('en-US')} msgs`] : []),
    ...(c.max_bytes > 0 ? [`max ${formatValue('max_bytes', c.max_bytes)}`] : []),
    ...(c.max_msg_size > 0 ? [`msg ≤ ${formatValue('max_msg_size', c.max_msg_size)}`] : []),
    `discard ${c.discard}`,
    c.allow_rollup_hdrs ? 'rollup allowed' : 'no rollup',
    `${c.num_replicas ?? 1} replica${(c.num_replicas ?? 1) === 1 ? '' : 's'}`,
  ];
  return parts.join(', ');
}

const FIELD_LABELS: Record<string, string> = {
  subjects: 'subjects', storage: 'storage', retention: 'retention', max_age: 'max age', max_msgs: 'max msgs', max_bytes: 'max bytes',
  max_msg_size: 'max msg size', discard: 'discard', allow_rollup_hdrs: 'rollup', duplicate_window: 'dupe window', num_replicas: 'replicas',
};

function formatChange(c: FieldChange): string {
  return `${FIELD_LABELS[c.field] ?? c.field} ${formatValue(c.field, c.from)} → ${formatValue(c.field, c.to)}`;
}

/** A config value in the user's units: `30d`, `2m`, `8 MiB`, `unlimited`. */
export function formatValue(field: string, value: unknown): string {
  if (value === undefined || value === null) return 'unset';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return field === 'allow_rollup_hdrs' ? (value ? 'allowed' : 'not allowed') : String(value);
  if (typeof value !== 'number') return String(value);
  if (field === 'max_age' || field === 'duplicate_window') return value <= 0 ? 'unlimited' : formatNanos(value);
  if (field === 'max_bytes' || field === 'max_msg_size') return value < 0 ? 'unlimited' : formatBytes(value);
  if (field === 'max_msgs') return value < 0 ? 'unlimited' : value.toLocaleString('en-US');
  return String(value);
}

function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

/** Table-cell text: `|` would end the cell, and `*` in subjects such as `*.saga.>` would start emphasis. */
function escape(s: string): string {
  return s.replace(/[|*]/g, m => `\\${m}`).replace(/\r?\n/g, ' ');
}
