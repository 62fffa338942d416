// What CIM-Start's test-domain-events.sh does, with reasons: one sample per category published, each read back from
// the stream the algebra names (by sequence: right subject, right Nats-Msg-Id), and one re-published to prove dedupe.
// An interest stream is tested the way it is used: a short-lived consumer of the sample's subject holds interest while
// the sample is published and read back, and is deleted at once.
import { randomBytes } from 'node:crypto';
import { PermissionViolationError, type Status } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, type StreamInfo } from '@nats-io/jetstream';
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import { streamFor } from '../../core/algebra/describe';
import type { DomainDefinition } from '../../core/domain/model';
import { matches } from '../../core/pattern/match';
import { parseSubject } from '../../core/subject/parse';
import type { NatsSession } from '../connection/connect';
import type { PreparedSend, SendResult } from '../../core/playbook';
import { PlaybookRunner } from '../publish/playbookRunner';
import { cimSampleMessages, type SampleMessage } from '../publish/samples';
import { API, apiCode } from '../errors/apiCodes';

export interface SmokeRow {
  /** The algebra's category (`domain`, `command`, …). */
  category: string;
  /** `landed`: published and read back; `dedupe`: the same message again, which must be a duplicate. */
  check: 'landed' | 'dedupe';
  subject: string;
  /** The stream the algebra names for the subject. */
  stream?: string;
  seq?: number;
  /** `ok`: landed (or proved dedupe); `warning`: could not be checked, and says why; `failed`: did not land. */
  status: 'ok' | 'warning' | 'failed';
  /** `ok`, or one sentence saying why not (or why it could not be checked). */
  verdict: 'ok' | string;
}

export interface SmokeOptions {
  algebra: CompiledAlgebra;
  environment: string;
  domains: string[];
  /** Domain definitions: those of the chosen domains join the samples with their events' typed fields. */
  definitions?: DomainDefinition[];
  signal?: AbortSignal;
  /** Each row as soon as it is known. */
  onRow?: (row: SmokeRow) => void;
  /** A runner of the session to publish with (its stream index is reused); one of its own otherwise. */
  runner?: PlaybookRunner;
}

export interface SmokeResult {
  rows: SmokeRow[];
  /** No check failed: every sample that could be checked landed where the algebra says, the re-publish was a duplicate. */
  ok: boolean;
}

export async function smokeTest(session: NatsSession, options: SmokeOptions): Promise<SmokeResult> {
  const { algebra, environment } = options;
  const runner = options.runner ?? new PlaybookRunner(session, { algebra, environment });
  const rows: SmokeRow[] = [];
  const add = (row: SmokeRow) => {
    rows.push(row);
    options.onRow?.(row);
  };
  const infos = new Map<string, Promise<StreamInfo | string>>();
  const info = (name: string) => {
    let p = infos.get(name);
    if (!p) infos.set(name, (p = streamInfo(session, name, environment, options.domains)));
    return p;
  };
  let landed: { sample: SampleMessage; row: SmokeRow } | undefined;
  try {
    const samples = cimSampleMessages(algebra, { environment, domains: options.domains, ...(options.definitions ? { definitions: options.definitions } : {}) });
    for (const sample of samples) {
      if (options.signal?.aborted) break;
      const row = await checkSample(session, runner, sample, info, options);
      add(row);
      if (row.status === 'ok' && !landed) landed = { sample, row };
    }
    if (landed && !options.signal?.aborted) add(await checkDedupe(runner, landed.sample, landed.row));
    if (options.signal?.aborted) add({ category: '', check: 'landed', subject: '', status: 'failed', verdict: 'The smoke test was cancelled: the samples after this were not published.' });
  } finally {
    if (!options.runner) runner.dispose();
  }
  return { rows, ok: rows.some(r => r.status === 'ok') && rows.every(r => r.status !== 'failed') };
}

async function checkSample(
  session: NatsSession,
  runner: PlaybookRunner,
  sample: SampleMessage,
  info: (name: string) => Promise<StreamInfo | string>,
  options: SmokeOptions,
): Promise<SmokeRow> {
  const parsed = parseSubject(options.algebra, sample.subject);
  const category = parsed.category!;
  const target = streamFor(category, parsed.values);
  const row: SmokeRow = { category: category.name, check: 'landed', subject: sample.subject, status: 'ok', verdict: 'ok' };
  const fail = (verdict: string): SmokeRow => ({ ...row, status: 'failed', verdict });
  if (!target) return fail(`${options.algebra.spec.name} names no stream for ${category.title ?? category.name} messages: nothing would store "${sample.subject}".`);
  row.stream = target.name;
  const si = await info(target.name);
  if (typeof si === 'string') return fail(si);
  const subjects = si.config.subjects ?? [];
  if (!subjects.some(p => matches(p, sample.subject))) {
    return fail(`Stream ${target.name}'s subjects (${subjects.map(s => `"${s}"`).join(', ') || 'none'}) do not cover "${sample.subject}": add "${target.subjects}" to it (cim-nats init-streams --env ${options.environment} does).`);
  }
  // An interest stream keeps a message only while a consumer is interested: ours is, for the length of the check.
  const hold = si.config.retention === 'interest' ? await holdInterest(session, target.name, sample.subject) : undefined;
  if (hold && !('release' in hold)) return { ...row, status: hold.status, verdict: hold.verdict };
  try {
    const result = await runner.send(prepared(sample), options.signal ? { signal: options.signal } : {});
    if (result.kind !== 'stored') return fail(notStored(result));
    row.seq = result.seq;
    if (result.stream !== target.name) return fail(`Stored in stream ${result.stream}, not in ${target.name} as ${options.algebra.spec.name} names: its subjects capture "${sample.subject}" first.`);
    const jsm = await session.jetstreamManager();
    const stored = await jsm.streams.getMessage(target.name, { seq: result.seq }).catch((e: unknown) => session.describe(e, { stream: target.name, action: `reading message ${result.seq} of ${target.name}` }));
    if (typeof stored === 'string') return fail(stored);
    if (!stored) {
      const now = await jsm.streams.info(target.name).catch(() => si);
      return fail(`${target.name} acknowledged sequence ${result.seq} but no longer holds it (${now.config.retention} retention${now.state.consumer_count ? `, ${now.state.consumer_count} consumers` : ''}): a consumer or a limit removed it at once.`);
    }
    if (stored.subject !== sample.subject) return fail(`${target.name} holds "${stored.subject}" at sequence ${result.seq}, not "${sample.subject}".`);
    const id = stored.header?.get('Nats-Msg-Id');
    if (id !== sample.msgID) return fail(`${target.name} holds the message with Nats-Msg-Id "${id ?? ''}", not "${sample.msgID}": the stream cannot deduplicate a retry.`);
    return row;
  } finally {
    await hold?.release();
  }
}

/** The consumer that holds interest while a sample is checked; gone after `release` (or, if we are cut off, after a minute). */
interface InterestHold {
  release(): Promise<void>;
}

const HOLD_INACTIVE_NS = 60_000_000_000;

/** A consumer filtered on the sample's subject, or why there can be none: a refused permission is a warning, not a failure. */
async function holdInterest(session: NatsSession, stream: string, subject: string): Promise<InterestHold | { status: 'warning' | 'failed'; verdict: string }> {
  const name = `cim_nats_smoke_${randomBytes(6).toString('hex')}`;
  // A refused $JS.API publish may come back only as a status error while the request times out: listen for it.
  const status = session.nc.status() as AsyncIterable<Status> & { stop?: () => void };
  let refusedSubject: string | undefined;
  let onRefused!: () => void;
  const refused = new Promise<void>(resolve => (onRefused = resolve));
  void (async () => {
    for await (const s of status) {
      if (s.type === 'error' && s.error instanceof PermissionViolationError && s.error.operation === 'publish' && /CONSUMER\.(DURABLE\.)?CREATE/.test(s.error.subject)) {
        refusedSubject = s.error.subject;
        onRefused();
      }
    }
  })();
  try {
    const jsm = await session.jetstreamManager();
    const added = jsm.consumers.add(stream, {
      name, filter_subject: subject, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.New, inactive_threshold: HOLD_INACTIVE_NS, mem_storage: true,
    });
    const outcome = await Promise.race([added.then(() => 'added' as const), refused.then(() => 'refused' as const)]);
    if (outcome === 'refused') {
      // should the create still go through, the consumer must not be left behind
      void added.then(() => jsm.consumers.delete(stream, name)).catch(() => undefined);
      return permissionWarning(session, stream, refusedSubject!);
    }
    return {
      release: async () => {
        await jsm.consumers.delete(stream, name).catch(() => undefined);
      },
    };
  } catch (e) {
    const violation = refusedSubject ?? violationSubject(e);
    if (violation) return permissionWarning(session, stream, violation);
    return { status: 'failed', verdict: `Could not create a consumer to hold interest in ${stream} while the sample is checked: ${session.describe(e, { stream, action: `creating a consumer on ${stream}` })}` };
  } finally {
    status.stop?.();
  }
}

function permissionWarning(session: NatsSession, stream: string, refused: string): { status: 'warning'; verdict: string } {
  const who = session.user ? `user ${session.user}` : 'this user';
  // the refused subject names our consumer and filter (2.10+): the grant covers every consumer of the stream
  const at = refused.split('.').indexOf(stream);
  const grant = at >= 0 && at < refused.split('.').length - 1 ? `${refused.split('.').slice(0, at + 1).join('.')}.>` : refused;
  return {
    status: 'warning',
    verdict: `Not checked: ${stream} keeps a message only while a consumer is interested, and ${who} may not create one: it lacks publish permission for "${grant}"; grant it to test this stream, or run the test as a user that may create consumers.`,
  };
}

function violationSubject(e: unknown): string | undefined {
  for (let x: unknown = e; x instanceof Error; x = x.cause) {
    const v = x instanceof PermissionViolationError ? x : PermissionViolationError.parse(x.message);
    if (v?.operation === 'publish' && /CONSUMER\.(DURABLE\.)?CREATE/.test(v.subject)) return v.subject;
  }
  return undefined;
}

async function checkDedupe(runner: PlaybookRunner, sample: SampleMessage, first: SmokeRow): Promise<SmokeRow> {
  const row: SmokeRow = { category: first.category, check: 'dedupe', subject: sample.subject, status: 'ok', verdict: 'ok', ...(first.stream ? { stream: first.stream } : {}) };
  const result = await runner.send(prepared(sample));
  if (result.kind !== 'stored') return { ...row, status: 'failed', verdict: notStored(result) };
  row.seq = result.seq;
  if (!result.duplicate) {
    return { ...row, status: 'failed', verdict: `Publishing "${sample.subject}" again with Nats-Msg-Id ${sample.msgID} stored it a second time (sequence ${result.seq} after ${first.seq}): give ${first.stream ?? 'the stream'} a duplicate window (duplicate_window, e.g. 2m) so that a retry is a no-op.` };
  }
  if (result.seq !== first.seq) return { ...row, status: 'failed', verdict: `The re-publish was a duplicate, but of sequence ${result.seq}, not ${first.seq}.` };
  return row;
}

function prepared(sample: SampleMessage): PreparedSend {
  return {
    verb: 'PUB',
    subject: sample.subject,
    headers: Object.entries(sample.headers).filter(([k]) => k !== 'Nats-Msg-Id').map(([name, value]) => ({ name, value })),
    body: JSON.stringify(sample.envelope),
    msgID: sample.msgID,
  };
}

function notStored(result: SendResult): string {
  switch (result.kind) {
    case 'sent-core':
      return `Not stored: ${result.warning}`;
    case 'not-kept':
      return `Not kept: ${result.reason}`;
    case 'sent-unacknowledged':
    case 'failed':
      return result.reason;
    default:
      return `Not stored: the server answered with a ${result.kind}.`;
  }
}

async function streamInfo(session: NatsSession, name: string, environment: string, domains: string[]): Promise<StreamInfo | string> {
  try {
    return await (await session.jetstreamManager()).streams.info(name);
  } catch (e) {
    if (apiCode(e) === API.STREAM_NOT_FOUND) {
      return `No stream ${name} on ${session.server}: create it with cim-nats init-streams --env ${environment} ${domains.join(' ')}.`;
    }
    return session.describe(e, { stream: name, action: `reading stream ${name}` });
  }
}
