// `cim-nats smoke`: CIM-Start's test-domain-events.sh with reasons: one sample per category published to the
// domains' streams, each read back by sequence, one re-published to prove dedupe; exit 0 when no check failed (a check
// that could not be made, e.g. for want of a permission, is a WARN line).
import { connectNats, type NatsSession } from '../nats/connection/connect';
import { NatsUserError } from '../nats/errors/sentences';
import { smokeTest, type SmokeRow } from '../nats/smoke/smokeTest';
import { resolveAlgebra } from './algebraOption';
import { asksForHelp, parseCommand } from './connectionFlags';
import { HELP, UsageError, type Io } from './usage';

const OPTIONS = {
  json: { type: 'boolean' },
  algebra: { type: 'string' },
  preset: { type: 'string' },
} as const;

type Env = Readonly<Record<string, string | undefined>>;

export async function smokeCommand(args: string[], io: Io, env: Env): Promise<number> {
  if (asksForHelp(args)) {
    io.out(HELP);
    return 0;
  }
  const { connection, values, positionals: domains } = parseCommand(args, env, OPTIONS);
  const algebra = resolveAlgebra(values.algebra, values.preset, io.err);
  if (domains.length === 0) throw new UsageError('smoke needs at least one DOMAIN');
  for (const d of domains) {
    if (!algebra.nameRe.test(d)) throw new UsageError(`"${d}" is not a valid domain name for ${algebra.spec.name} (${algebra.nameCase} case, e.g. order-history)`);
  }
  const environment = connection.environment;
  const envs = [...algebra.environments].join(', ');
  if (algebra.environmentIndex >= 0 && !environment) throw new UsageError(`smoke needs --env ENV (or CIM_ENVIRONMENT): one of ${envs}`);
  if (algebra.environmentIndex >= 0 && !algebra.environments.has(environment!)) throw new UsageError(`"${environment}" is not an environment of ${algebra.spec.name}: use one of ${envs}`);

  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('cancelled'));
  process.once('SIGINT', onSigint);
  let session: NatsSession | undefined;
  try {
    session = await connectNats({ ...connection.options, name: 'cim-nats smoke' });
    const result = await smokeTest(session, {
      algebra, environment: environment ?? '', domains, signal: controller.signal,
      onRow: r => !values.json && io.out(formatRow(r)),
    });
    const failed = result.rows.filter(r => r.status === 'failed');
    const warned = result.rows.filter(r => r.status === 'warning');
    if (values.json) io.out(JSON.stringify({ server: session.server, environment, domains, rows: result.rows, ok: result.ok }, null, 2));
    else if (!result.ok) io.out(`\n${failed.length} of ${result.rows.length} checks failed${warned.length ? `, ${warned.length} could not be made` : ''}.`);
    else if (warned.length) io.out(`\nEvery sample that could be checked landed in the stream ${algebra.spec.name} names; ${warned.length} of ${result.rows.length} checks could not be made (see WARN).`);
    else io.out(`\nEvery sample landed in the stream ${algebra.spec.name} names, and the re-publish was a duplicate (${result.rows.length} checks).`);
    return result.ok ? 0 : 1;
  } catch (e) {
    if (!(e instanceof NatsUserError)) throw e;
    io.err(`cim-nats: ${e.message}`);
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await session?.close();
  }
}

function formatRow(r: SmokeRow): string {
  const where = r.stream ? ` → ${r.stream}${r.seq !== undefined ? ` seq ${r.seq}` : ''}` : '';
  const what = r.check === 'dedupe' ? `dedupe ${r.category}` : r.category;
  const mark = r.status === 'ok' ? 'ok  ' : r.status === 'warning' ? 'WARN' : 'FAIL';
  return `${mark} ${what} ${r.subject}${where}${r.status === 'ok' ? '' : `: ${r.verdict}`}`;
}
