// `cim-nats init-streams`: the plan printed, then applied (creates and in-place updates only), then checked.
import type { CompiledAlgebra } from '../core';
import { connectNats, type NatsSession } from '../nats/connection/connect';
import { NatsUserError } from '../nats/errors/sentences';
import {
  applyCimStreamPlan,
  formatApplyResult,
  formatPlan,
  planCimStreams,
  planIsApplicable,
  type CimStreamPlan,
  type PlanCimStreamsOptions,
  type StreamApplyResult,
} from '../nats/streams/initStreams';
import { resolveAlgebra } from './algebraOption';
import { asksForHelp, parseCommand } from './connectionFlags';
import { HELP, UsageError, type Io } from './usage';

const OPTIONS = {
  replicas: { type: 'string' },
  scope: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'no-profile': { type: 'boolean' },
  json: { type: 'boolean' },
  algebra: { type: 'string' },
  preset: { type: 'string' },
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/** Exit 0 when the server holds the plan afterwards (or a dry run found nothing in the way), 1 when something could not be done. */
export async function initStreams(args: string[], io: Io, env: Env): Promise<number> {
  if (asksForHelp(args)) {
    io.out(HELP);
    return 0;
  }
  const { connection, values, positionals } = parseCommand(args, env, OPTIONS);
  const algebra = resolveAlgebra(values.algebra, values.preset, io.err);
  const options = planOptions(algebra, positionals, connection.environment, values);

  let session: NatsSession | undefined;
  try {
    session = await connectNats({ ...connection.options, name: 'cim-nats init-streams' });
    const plan = await planCimStreams(session, algebra, options);
    if (!values.json) io.out(formatPlan(plan).trimEnd());
    if (values['dry-run']) {
      const ok = planIsApplicable(plan);
      if (values.json) io.out(JSON.stringify({ ...summary(plan), dryRun: true, plan: plan.rows, ok }, null, 2));
      else io.out(`\nDry run: nothing was changed.${ok ? '' : ` ${blocked(plan)}`}`);
      return ok ? 0 : 1;
    }
    if (!values.json) io.out('');
    const results = await applyCimStreamPlan(session, plan, { onProgress: r => !values.json && io.out(formatApplyResult(r)) });
    // Read back: the exit status says what the server holds, not what was sent.
    const after = await planCimStreams(session, algebra, options);
    const notHeld = after.rows.filter(r => r.action !== 'unchanged');
    const ok = notHeld.length === 0 && results.every(r => r.action !== 'failed');
    if (values.json) {
      const notAsPlanned = notHeld.map(r => ({ name: r.name, action: r.action }));
      io.out(JSON.stringify({ ...summary(plan), dryRun: false, plan: plan.rows, results: results.map(withoutError), notAsPlanned, ok }, null, 2));
    } else {
      io.out(ok
        ? `\nThe server holds every stream of the plan (${count(results, 'created')} created, ${count(results, 'updated')} updated, ${count(results, 'unchanged')} unchanged).`
        : `\n${notHeld.length} of ${after.rows.length} streams are not as planned: ${notHeld.map(r => `${r.name} (${r.action})`).join(', ')}.`);
    }
    return ok ? 0 : 1;
  } catch (e) {
    if (!(e instanceof NatsUserError)) throw e;
    io.err(`cim-nats: ${e.message}`);
    return 1;
  } finally {
    await session?.close();
  }
}

function planOptions(algebra: CompiledAlgebra, domains: string[], environment: string | undefined, values: { replicas?: string; scope?: string; 'no-profile'?: boolean }): PlanCimStreamsOptions {
  if (domains.length === 0) throw new UsageError('init-streams needs at least one DOMAIN');
  for (const d of domains) {
    if (!algebra.nameRe.test(d)) throw new UsageError(`"${d}" is not a valid domain name for ${algebra.spec.name} (${algebra.nameCase} case, e.g. order-history)`);
  }
  const scope = values.scope ?? 'environment';
  if (scope !== 'environment' && scope !== 'all') throw new UsageError(`--scope ${scope}: use environment or all`);
  const hasEnvironment = algebra.environmentIndex >= 0;
  const envs = [...algebra.environments].join(', ');
  if (hasEnvironment && !environment) throw new UsageError(`init-streams needs --env ENV (or CIM_ENVIRONMENT): one of ${envs}`);
  if (hasEnvironment && !algebra.environments.has(environment!)) throw new UsageError(`"${environment}" is not an environment of ${algebra.spec.name}: use one of ${envs}`);
  let replicas: number | undefined;
  if (values.replicas !== undefined) {
    replicas = Number(values.replicas);
    if (!/^\d+$/.test(values.replicas) || replicas < 1 || replicas > 5) throw new UsageError(`--replicas ${values.replicas}: JetStream keeps 1 to 5 replicas`);
  }
  return { domains, environment: environment ?? '', scope, ...(replicas !== undefined ? { replicas } : {}), profile: !values['no-profile'] };
}

function summary(plan: CimStreamPlan) {
  const { rows: _rows, ...rest } = plan;
  return rest;
}

function blocked(plan: CimStreamPlan): string {
  const rows = plan.rows.filter(r => r.action === 'recreate' || r.action === 'conflict' || r.action === 'refused');
  return `${rows.length} of ${plan.rows.length} streams cannot be initialized as planned: ${rows.map(r => `${r.name} (${r.action})`).join(', ')}.`;
}

function withoutError(r: StreamApplyResult): Omit<StreamApplyResult, 'error'> {
  const { error: _error, ...rest } = r;
  return rest;
}

function count(results: StreamApplyResult[], action: StreamApplyResult['action']): number {
  return results.filter(r => r.action === action).length;
}
