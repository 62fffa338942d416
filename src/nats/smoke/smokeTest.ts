// What CIM-Start's test-domain-events.sh does, with reasons: one sample per category published, each read back from
// the stream the algebra names (by sequence: right subject, right Nats-Msg-Id), and one re-published to prove dedupe.
import type { StreamInfo } from '@nats-io/jetstream';
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import { streamFor } from '../../core/algebra/describe';
import type { DomainDefinition } from '../../core/domain/model';
import { matches } from '../../core/pattern/match';
import { parseSubject } from '../../core/subject/parse';
import type { NatsSession } from '../connection/connect';
import { PlaybookRunner, type PreparedSend, type SendResult } from '../publish/playbookRunner';
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
  /** `ok`, or one sentence saying why not. */
  verdict: 'ok' | string;
}

export interface SmokeOptions {
  algebra: CompiledAlgebra;
  environment: string;
  domains: string[];
  /** Domain definitions whose events join the samples, with their typed fields. */
  definitions?: DomainDefinition[];
  signal?: AbortSignal;
  /** Each row as soon as it is known. */
  onRow?: (row: SmokeRow) => void;
  /** A runner of the session to publish with (its stream index is reused); one of its own otherwise. */
  runner?: PlaybookRunner;
}

export interface SmokeResult {
  rows: SmokeRow[];
  /** Every sample landed where the algebra says and the re-publish was a duplicate. */
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
      if (row.verdict === 'ok' && !landed) landed = { sample, row };
    }
    if (landed && !options.signal?.aborted) add(await checkDedupe(runner, landed.sample, landed.row));
    if (options.signal?.aborted) add({ category: '', check: 'landed', subject: '', verdict: 'The smoke test was cancelled: the samples after this were not published.' });
  } finally {
    if (!options.runner) runner.dispose();
  }
  return { rows, ok: rows.length > 0 && rows.every(r => r.verdict === 'ok') };
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
  const row: SmokeRow = { category: category.name, check: 'landed', subject: sample.subject, verdict: 'ok' };
  if (!target) return { ...row, verdict: `${options.algebra.spec.name} names no stream for ${category.title ?? category.name} messages: nothing would store "${sample.subject}".` };
  row.stream = target.name;
  const si = await info(target.name);
  if (typeof si === 'string') return { ...row, verdict: si };
  const subjects = si.config.subjects ?? [];
  if (!subjects.some(p => matches(p, sample.subject))) {
    return {
      ...row,
      verdict: `Stream ${target.name}'s subjects (${subjects.map(s => `"${s}"`).join(', ') || 'none'}) do not cover "${sample.subject}": add "${target.subjects}" to it (cim-nats init-streams --env ${options.environment} does).`,
    };
  }
  const result = await runner.send(prepared(sample), options.signal ? { signal: options.signal } : {});
  if (result.kind !== 'stored') return { ...row, verdict: notStored(result) };
  row.seq = result.seq;
  if (result.stream !== target.name) return { ...row, verdict: `Stored in stream ${result.stream}, not in ${target.name} as ${options.algebra.spec.name} names: its subjects capture "${sample.subject}" first.` };
  const jsm = await session.jetstreamManager();
  const stored = await jsm.streams.getMessage(target.name, { seq: result.seq }).catch((e: unknown) => session.describe(e, { stream: target.name, action: `reading message ${result.seq} of ${target.name}` }));
  if (typeof stored === 'string') return { ...row, verdict: stored };
  if (!stored) {
    const now = await jsm.streams.info(target.name).catch(() => si);
    if (now.config.retention === 'interest' && now.state.consumer_count === 0) {
      return { ...row, verdict: `Nothing was stored: ${target.name} keeps a message only while a consumer is interested (interest retention), and it has none; start the consumer that handles these messages.` };
    }
    return { ...row, verdict: `${target.name} acknowledged sequence ${result.seq} but no longer holds it (${now.config.retention} retention${now.state.consumer_count ? `, ${now.state.consumer_count} consumers` : ''}): a consumer or a limit removed it at once.` };
  }
  if (stored.subject !== sample.subject) return { ...row, verdict: `${target.name} holds "${stored.subject}" at sequence ${result.seq}, not "${sample.subject}".` };
  const id = stored.header?.get('Nats-Msg-Id');
  if (id !== sample.msgID) return { ...row, verdict: `${target.name} holds the message with Nats-Msg-Id "${id ?? ''}", not "${sample.msgID}": the stream cannot deduplicate a retry.` };
  return row;
}

async function checkDedupe(runner: PlaybookRunner, sample: SampleMessage, first: SmokeRow): Promise<SmokeRow> {
  const row: SmokeRow = { category: first.category, check: 'dedupe', subject: sample.subject, verdict: 'ok', ...(first.stream ? { stream: first.stream } : {}) };
  const result = await runner.send(prepared(sample));
  if (result.kind !== 'stored') return { ...row, verdict: notStored(result) };
  row.seq = result.seq;
  if (!result.duplicate) {
    return { ...row, verdict: `Publishing "${sample.subject}" again with Nats-Msg-Id ${sample.msgID} stored it a second time (sequence ${result.seq} after ${first.seq}): give ${first.stream ?? 'the stream'} a duplicate window (duplicate_window, e.g. 2m) so that a retry is a no-op.` };
  }
  if (result.seq !== first.seq) return { ...row, verdict: `The re-publish was a duplicate, but of sequence ${result.seq}, not ${first.seq}.` };
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
