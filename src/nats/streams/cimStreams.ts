// The algebra's streams as JetStream configs, and making a server hold them (create, update, leave alone).
import { JetStreamApiError, type JetStreamManager, type StreamConfig, type StreamInfo } from '@nats-io/jetstream';
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import type { CategorySpec, StreamSpec } from '../../core/algebra/schema';
import { fillTemplate } from '../../core/algebra/describe';
import { overlap } from '../../core/pattern/lattice';
import { describeNatsError, type NatsErrorContext } from '../errors/sentences';
import { API, apiCode } from '../errors/apiCodes';

/** Only fields nats-server 2.9 knows: 2.10 ones (metadata, subject_transform, …) make the client refuse. */
export type CimStreamConfig = Pick<StreamConfig, 'name' | 'subjects' | 'storage' | 'retention' | 'max_age' | 'max_msgs' | 'max_bytes' | 'max_msg_size' | 'discard' | 'allow_rollup_hdrs'> &
  Partial<Pick<StreamConfig, 'duplicate_window' | 'description' | 'num_replicas'>>;

export interface CimStreamOptions {
  /** Domains that get their own streams (e.g. sales, inventory). */
  domains: string[];
  environment: string;
  /** `environment`: subjects start with the environment; `all`: with `*`, one stream for every environment (CIM-Start's docs). */
  scope: 'environment' | 'all';
}

const DOMAIN_ROLE = 'domain';

/**
 * The streams the algebra's categories name: per domain where the template holds `{domain}`, once otherwise.
 * A template that needs any other token value (which no option gives) yields no stream.
 */
export function cimStreamConfigs(algebra: CompiledAlgebra, options: CimStreamOptions): CimStreamConfig[] {
  return cimStreamTargets(algebra, options).map(t => t.config);
}

/** A stream of cimStreamConfigs with the category that names it (the first, when categories share a template). */
export interface CimStreamTarget {
  category: CategorySpec;
  config: CimStreamConfig;
}

/** cimStreamConfigs with each stream's category, for rules that depend on what a stream stores (e.g. an environment's retention). */
export function cimStreamTargets(algebra: CompiledAlgebra, options: CimStreamOptions): CimStreamTarget[] {
  const envRole = algebra.environmentIndex >= 0 ? algebra.spec.prefix[algebra.environmentIndex]!.role : undefined;
  if (envRole && options.scope === 'environment' && !algebra.environments.has(options.environment)) {
    throw new Error(`"${options.environment}" is not an environment of ${algebra.spec.name}: use one of ${[...algebra.environments].join(', ')}.`);
  }
  for (const d of options.domains) {
    if (!algebra.nameRe.test(d)) throw new Error(`"${d}" is not a valid domain name for ${algebra.spec.name} (${algebra.nameCase} case, e.g. order-history).`);
  }
  const base: Record<string, string> = envRole ? { [envRole]: options.scope === 'all' ? '*' : options.environment } : {};
  const out: CimStreamTarget[] = [];
  const seen = new Set<string>();
  for (const category of algebra.spec.categories) {
    const spec = category.stream;
    if (!spec) continue;
    const roles = templateRoles(spec).filter(r => r !== envRole);
    if (roles.some(r => r !== DOMAIN_ROLE)) continue;
    const valueSets = roles.includes(DOMAIN_ROLE) ? options.domains.map(d => ({ ...base, [DOMAIN_ROLE]: d })) : [base];
    for (const values of valueSets) {
      const config = toConfig(spec, values, `${category.title ?? category.name} stream of ${algebra.spec.name}${values[DOMAIN_ROLE] ? ` for domain ${values[DOMAIN_ROLE]}` : ''}`);
      // Two categories may share a stream template; the server would refuse the second as an overlap.
      if (!seen.has(config.name)) out.push({ category, config });
      seen.add(config.name);
    }
  }
  return out;
}

function templateRoles(spec: StreamSpec): string[] {
  return [...new Set([...`${spec.name} ${spec.subjects}`.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map(m => m[1]!.toLowerCase()))];
}

function toConfig(spec: StreamSpec, values: Record<string, string>, description: string): CimStreamConfig {
  const config: CimStreamConfig = {
    name: fillTemplate(spec.name, values),
    subjects: [fillTemplate(spec.subjects, values)],
    description,
    storage: spec.storage as StreamConfig['storage'],
    retention: spec.retention as StreamConfig['retention'],
    max_age: spec.maxAge ? durationToNanos(spec.maxAge) : 0,
    max_msgs: spec.maxMsgs ?? -1,
    max_bytes: spec.maxBytes ?? -1,
    max_msg_size: spec.maxMsgSize ?? -1,
    discard: spec.discard as StreamConfig['discard'],
    allow_rollup_hdrs: spec.allowRollup,
  };
  if (spec.duplicateWindow) config.duplicate_window = durationToNanos(spec.duplicateWindow);
  return config;
}

const UNIT_NANOS: Record<string, number> = { ms: 1e6, s: 1e9, m: 60e9, h: 3600e9, d: 86_400e9 };

/** `30d`, `2m`, `500ms` → nanoseconds, the unit JetStream's API counts durations in. */
export function durationToNanos(duration: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(duration);
  if (!m) throw new Error(`"${duration}" is not a duration such as 30d, 1h, 2m or 500ms.`);
  return Number(m[1]) * UNIT_NANOS[m[2]!]!;
}

export type EnsureAction = 'created' | 'updated' | 'unchanged' | 'failed';

export interface EnsureStreamResult {
  name: string;
  action: EnsureAction;
  /** For `updated`: the config fields that changed. */
  changed?: string[];
  /** For `failed`: one sentence naming the problem and the fix. */
  reason?: string;
  /** For `failed`: the client's error, for the log. */
  error?: unknown;
  /** For `failed` on a server that refuses leading-wildcard subjects: the environment-scoped subjects that it accepts. */
  suggestion?: { subjects: string[] };
}

export interface EnsureStreamsOptions {
  /** Called after each stream with what happened to it. */
  onProgress?: (result: EnsureStreamResult, index: number, total: number) => void;
  signal?: AbortSignal;
  /** Error translation; a session's `describe` adds its server, user and recent permission violations. */
  describe?: (e: unknown, context: NatsErrorContext) => string;
  /** The environment of CimStreamOptions: it replaces a refused leading `*` in the suggested subjects. */
  environment?: string;
  /** The server's version (`nc.info.version`), named when the server refuses something older ones accepted. */
  serverVersion?: string;
}

/** Creates missing streams and updates changed ones, one by one; a failure is reported and the rest go on. */
export async function ensureStreams(jsm: JetStreamManager, configs: readonly CimStreamConfig[], options: EnsureStreamsOptions = {}): Promise<EnsureStreamResult[]> {
  const describe = options.describe ?? describeNatsError;
  const results: EnsureStreamResult[] = [];
  for (const [i, config] of configs.entries()) {
    const result = options.signal?.aborted
      ? { name: config.name, action: 'failed' as const, reason: `Creating stream ${config.name} was cancelled.` }
      : await ensureStream(jsm, config, describe, options);
    results.push(result);
    options.onProgress?.(result, i, configs.length);
  }
  return results;
}

async function ensureStream(
  jsm: JetStreamManager,
  config: CimStreamConfig,
  describe: NonNullable<EnsureStreamsOptions['describe']>,
  options: EnsureStreamsOptions,
): Promise<EnsureStreamResult> {
  const name = config.name;
  let info: StreamInfo | undefined;
  try {
    info = await jsm.streams.info(name);
  } catch (e) {
    if (apiCode(e) !== API.STREAM_NOT_FOUND) return { name, action: 'failed', reason: describe(e, { action: `reading stream ${name}`, stream: name }), error: e };
  }
  if (!info) return sendStreamConfig(jsm, config, false, { ...options, describe });
  const changed = changedFields(config, info.config);
  if (changed.length === 0) return { name, action: 'unchanged' };
  const result = await sendStreamConfig(jsm, config, true, { ...options, describe });
  return result.action === 'updated' ? { ...result, changed } : result;
}

export type SendStreamOptions = Pick<EnsureStreamsOptions, 'describe' | 'environment' | 'serverVersion'>;

/**
 * Creates a stream (`exists` false) or updates it in place; a refusal comes back as `failed` with one sentence:
 * the streams it overlaps named, and for subjects the server refuses, the environment-scoped ones it accepts.
 */
export async function sendStreamConfig(jsm: JetStreamManager, config: CimStreamConfig, exists: boolean, options: SendStreamOptions = {}): Promise<EnsureStreamResult> {
  const describe = options.describe ?? describeNatsError;
  const name = config.name;
  try {
    if (!exists) {
      await jsm.streams.add({ ...config });
      return { name, action: 'created' };
    }
    const { name: _name, ...update } = config;
    await jsm.streams.update(name, update);
    return { name, action: 'updated' };
  } catch (e) {
    const context: NatsErrorContext = { action: `${exists ? 'updating' : 'creating'} stream ${name}`, stream: name };
    if (apiCode(e) === API.STREAM_SUBJECT_OVERLAP) context.overlapsWith = await overlappingStreams(jsm, config).catch(() => []);
    if (options.serverVersion) context.serverVersion = options.serverVersion;
    if (!refusesSubjects(e)) return { name, action: 'failed', reason: describe(e, context), error: e };
    const suggestion = options.environment ? { subjects: scopeSubjects(config.subjects, options.environment) } : undefined;
    context.refusedSubjects = { subjects: config.subjects, ...(suggestion ? { suggestion: suggestion.subjects } : {}) };
    return { name, action: 'failed', reason: describe(e, context), error: e, ...(suggestion ? { suggestion } : {}) };
  }
}

/**
 * Current servers refuse, unless the stream is no-ack, a subject that could capture JetStream's API: `>` alone
 * (2.10+) and any subject whose first token is a wildcard (`*.domain.sales.>`, 2.11+). Both come as 10052.
 */
function refusesSubjects(e: unknown): boolean {
  return e instanceof JetStreamApiError && apiCode(e) === API.STREAM_CONFIG_INVALID && /overlap with jetstream api|capturing all subjects/i.test(e.apiError().description);
}

/** The subjects with a leading wildcard token replaced by the environment: `*.saga.>` → `dev.saga.>`, `>` → `dev.>`. */
export function scopeSubjects(subjects: readonly string[], environment: string): string[] {
  return subjects.map(s => (s === '>' ? `${environment}.>` : s.startsWith('*.') ? `${environment}${s.slice(1)}` : s));
}

/** The config fields whose value on the server differs from the wanted one (subjects compared as a set). */
export function changedFields(wanted: CimStreamConfig, actual: Partial<StreamConfig>): string[] {
  const changed: string[] = [];
  for (const [key, value] of Object.entries(wanted) as [keyof CimStreamConfig, unknown][]) {
    if (value === undefined || key === 'name') continue;
    const have: unknown = actual[key];
    const same = Array.isArray(value) && Array.isArray(have)
      ? value.length === have.length && value.every(v => have.includes(v))
      : value === have || (key === 'description' && value === '' && have === undefined);
    if (!same) changed.push(key);
  }
  return changed;
}

async function overlappingStreams(jsm: JetStreamManager, config: CimStreamConfig): Promise<{ name: string; subjects: string[] }[]> {
  const found: { name: string; subjects: string[] }[] = [];
  for await (const si of jsm.streams.list()) {
    const subjects = si.config.subjects ?? [];
    if (si.config.name !== config.name && subjects.some(s => config.subjects.some(c => overlap(s, c)))) {
      found.push({ name: si.config.name, subjects });
    }
  }
  return found;
}
