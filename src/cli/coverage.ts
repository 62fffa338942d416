// `cim-nats coverage`: would the subjects in these files be stored? Against a server's streams, or the algebra's layout.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CompiledAlgebra } from '../core';
import {
  coverageReport, layoutFromAlgebra, layoutFromServer, scanSources, type ConsumerFilters, type SourceFile, type StreamLayout,
} from '../core/coverage';
import { domainTokens } from '../core/domain/lookup';
import { connectNats, type NatsSession } from '../nats/connection/connect';
import { NatsUserError } from '../nats/errors/sentences';
import { listConsumers } from '../nats/explorer/consumerList';
import { listStreams } from '../nats/explorer/streamList';
import { resolveAlgebra } from './algebraOption';
import { asksForHelp, parseConnectionFlags } from './connectionFlags';
import { HELP, UsageError, type Io } from './usage';
import { collectFiles } from './walk';

type Env = Readonly<Record<string, string | undefined>>;

const OPTIONS = {
  json: { type: 'boolean' },
  domain: { type: 'string', multiple: true },
  algebra: { type: 'string' },
  preset: { type: 'string' },
} as const;

/** Exit 1 when a domain event, command or snapshot subject would not be stored or two streams overlap, 0 otherwise. */
export async function coverage(args: string[], io: Io, env: Env): Promise<number> {
  if (asksForHelp(args)) {
    io.out(HELP);
    return 0;
  }
  const flags = args.slice(0, args.includes('--') ? args.indexOf('--') : args.length);
  // A server is asked only when one is named; otherwise the algebra's own layout is the reference.
  const server = env.NATS_URL?.trim() || flags.some(a => a === '--server' || a.startsWith('--server='));
  const connection = server ? parseConnectionFlags(args, env) : undefined;
  const { values, positionals } = parseArgs({
    args: connection ? connection.rest : args,
    options: connection ? OPTIONS : { ...OPTIONS, env: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) throw new UsageError('coverage needs at least one PATH');
  const algebra = resolveAlgebra(values.algebra, values.preset, io.err);
  const environment = connection ? connection.environment : ((values as { env?: string }).env ?? env.CIM_ENVIRONMENT);
  if (environment !== undefined && algebra.environmentIndex >= 0 && !algebra.environments.has(environment)) {
    throw new UsageError(`"${environment}" is not an environment of ${algebra.spec.name}: use one of ${[...algebra.environments].join(', ')}`);
  }
  const domains = (values.domain ?? []).flatMap(d => d.split(',')).map(d => d.trim()).filter(Boolean);
  for (const d of domains) {
    if (!algebra.nameRe.test(d)) throw new UsageError(`--domain ${d} is not a valid domain name for ${algebra.spec.name} (${algebra.nameCase} case, e.g. order-history)`);
  }

  const files = collectFiles(positionals, io.err);
  const scanned = scanSources(algebra, readFiles(files, io.err), environment !== undefined ? { environment } : {});
  for (const { file, problems } of scanned.definitionProblems) {
    for (const p of problems) io.err(`${file}${p.line !== undefined ? `:${p.line + 1}` : ''}: ${p.message}`);
  }

  let layout: StreamLayout;
  let consumers: ConsumerFilters[] = [];
  if (connection) {
    let session: NatsSession | undefined;
    try {
      session = await connectNats({ ...connection.options, name: 'cim-nats coverage' });
      const streams = await listStreams(session);
      layout = layoutFromServer(connection.server, streams);
      for (const s of streams) {
        if (s.kind === 'stream' && !s.unavailable && s.consumerCount > 0) consumers.push(...(await listConsumers(session, s.name)));
      }
    } catch (e) {
      if (!(e instanceof NatsUserError)) throw e;
      io.err(`cim-nats: ${e.message}`);
      return 1;
    } finally {
      await session?.close();
    }
  } else {
    layout = algebraLayout(algebra, environment, domains, scanned.definitions.map(d => d.definition));
    consumers = [];
  }

  const report = coverageReport({ algebra, layout, sources: scanned.sources, consumers, definitions: scanned.definitions });
  if (values.json) io.out(JSON.stringify(report.data, null, 2));
  else io.out(report.markdown.trimEnd());
  return report.data.ok ? 0 : 1;
}

/** The streams the algebra names for the environment (every one when none is given) and the domains defined or named. */
function algebraLayout(algebra: CompiledAlgebra, environment: string | undefined, named: string[], definitions: Parameters<typeof domainTokens>[0][]): StreamLayout {
  const domains = [...new Set([...named, ...definitions.flatMap(domainTokens)])];
  return layoutFromAlgebra(algebra, {
    ...(algebra.environmentIndex >= 0 ? { environments: environment !== undefined ? [environment] : [...algebra.environments] } : {}),
    // no definition and no --domain: every domain (`*`), so only the algebra's shape is checked
    ...(domains.length ? { domains } : {}),
  });
}

/** The files under the paths, read one at a time as the scan asks: no file's text outlives its scan. */
function* readFiles(files: readonly string[], warn: (l: string) => void): Generator<SourceFile> {
  for (const file of files) {
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch (e) {
      warn(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}), skipped`);
      continue;
    }
    // binary files hold NUL bytes; they have no subjects
    if (buf.subarray(0, 8000).includes(0)) continue;
    yield { path: file, text: buf.toString('utf8') };
  }
}

