// Where subjects would be stored: a set of streams, read from a server (the caller maps) or from the algebra's templates.
import type { CompiledAlgebra } from '../algebra/compiled';
import { fillTemplate } from '../algebra/describe';
import type { CategorySpec } from '../algebra/schema';
import { isValidPattern } from '../pattern/tokens';
import { formatNanos } from '../text/format';

export type StreamSource = 'server' | 'algebra';

export interface LayoutStream {
  name: string;
  /** Stream subjects as patterns; a stream without subjects (a mirror, a sourced stream) captures nothing. */
  subjects: string[];
  storage?: 'file' | 'memory';
  retention?: 'limits' | 'interest' | 'workqueue';
  /** A duration as people read it: `30d`, `1h`; absent for no limit. */
  maxAge?: string;
  replicas?: number;
  messages?: number;
  source: StreamSource;
  /** Algebra streams: the category whose template made it, and the environment it was filled with. */
  category?: string;
  environment?: string;
  /** Algebra streams: a template kept with `*` for a role no value was given for (the name keeps `{DOMAIN}`). */
  template?: boolean;
}

export interface StreamLayout {
  streams: LayoutStream[];
  /** Where the streams are, as a message reads it after "no stream": `on prod-cluster`, `in the algebra's layout`. */
  where: string;
  source: StreamSource;
}

export interface ServerStreamLike {
  name: string;
  subjects: readonly string[];
  storage?: 'file' | 'memory';
  retention?: 'limits' | 'interest' | 'workqueue';
  /** Nanoseconds, as JetStream counts them; 0 is no limit. */
  maxAge?: number;
  replicas?: number;
  messages?: number;
}

/** A server's stream list (e.g. src/nats listStreams) as a layout; `server` names it in messages (`on prod-cluster`). */
export function layoutFromServer(server: string, streams: readonly ServerStreamLike[]): StreamLayout {
  return {
    where: `on ${server}`,
    source: 'server',
    streams: streams.map(s => ({
      name: s.name,
      subjects: [...s.subjects],
      ...(s.storage ? { storage: s.storage } : {}),
      ...(s.retention ? { retention: s.retention } : {}),
      ...(s.maxAge ? { maxAge: formatNanos(s.maxAge) } : {}),
      ...(s.replicas !== undefined ? { replicas: s.replicas } : {}),
      ...(s.messages !== undefined ? { messages: s.messages } : {}),
      source: 'server' as const,
    })),
  };
}

export interface AlgebraLayoutOptions {
  /** Environments to fill `{env}` with, one stream each; absent: the template keeps `*` there. */
  environments?: readonly string[];
  /** Domains to fill `{domain}` with, one stream each; absent: `*` (every domain). */
  domains?: readonly string[];
}

/** The roles a template names, lower-cased, in order of appearance. */
export function templateRoles(template: string): string[] {
  return [...new Set([...template.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map(m => m[1]!.toLowerCase()))];
}

/**
 * The streams the algebra's categories name. `{env}` and `{domain}` take each given value (every combination);
 * a role with no values, and any other role, stays a `*` in the subjects and a placeholder in the name.
 * Categories that share a template give one stream.
 */
export function layoutFromAlgebra(algebra: CompiledAlgebra, options: AlgebraLayoutOptions = {}): StreamLayout {
  const envRole = algebra.environmentIndex >= 0 ? algebra.spec.prefix[algebra.environmentIndex]!.role : undefined;
  const given: Record<string, readonly string[] | undefined> = { domain: options.domains };
  if (envRole) given[envRole] = options.environments;
  const streams: LayoutStream[] = [];
  const seen = new Set<string>();
  for (const category of algebra.spec.categories) {
    const spec = category.stream;
    if (!spec) continue;
    const roles = templateRoles(`${spec.name} ${spec.subjects}`);
    for (const values of combinations(roles, given)) {
      const wild = Object.fromEntries(roles.filter(r => values[r] === undefined).map(r => [r, '*']));
      const subjects = fillTemplate(spec.subjects, { ...wild, ...values });
      const name = fillTemplate(spec.name, values);
      const key = `${name}\0${subjects}`;
      if (seen.has(key) || !isValidPattern(subjects)) continue;
      seen.add(key);
      streams.push(algebraStream(category, name, subjects, envRole ? values[envRole] : undefined, Object.keys(wild).length > 0));
    }
  }
  const scope = [
    options.environments?.length ? options.environments.join(', ') : undefined,
    options.domains ? (options.domains.length ? `domains ${options.domains.join(', ')}` : 'no domains') : undefined,
  ].filter(Boolean);
  return { where: `in ${algebra.spec.name}'s stream layout${scope.length ? ` (${scope.join('; ')})` : ''}`, source: 'algebra', streams };
}

function algebraStream(category: CategorySpec, name: string, subjects: string, environment: string | undefined, template: boolean): LayoutStream {
  const spec = category.stream!;
  return {
    name,
    subjects: [subjects],
    storage: spec.storage,
    retention: spec.retention,
    ...(spec.maxAge ? { maxAge: spec.maxAge } : {}),
    source: 'algebra',
    category: category.name,
    ...(environment !== undefined ? { environment } : {}),
    ...(template ? { template: true } : {}),
  };
}

/** Every assignment of the given values to the roles that have some; roles without values are left out. */
function combinations(roles: readonly string[], given: Record<string, readonly string[] | undefined>): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const role of roles) {
    const values = given[role];
    if (values === undefined) continue;
    out = out.flatMap(partial => [...new Set(values)].map(v => ({ ...partial, [role]: v })));
  }
  return out;
}
