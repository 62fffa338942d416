// Restore a stream from a backup directory through the JetStream restore API: config and state in the request, the
// snapshot bytes in acknowledged chunks to the deliver subject the server returns, an empty message to end.
import { open } from 'node:fs/promises';
import type { JetStreamManager, StreamConfig, StreamState } from '@nats-io/jetstream';
import { JetStreamApiError, type ApiError } from '@nats-io/jetstream';
import type { NatsSession } from '../connection/connect';
import { API, apiCode } from '../errors/apiCodes';
import { NatsUserError } from '../errors/sentences';
import { apiContext, apiRequest, isAbort, isNoAnswer, userError, versionAtLeast } from '../explorer/jsApi';
import { formatBytes, formatCount } from '../../core/text/format';
import { ARC_SERVER, readBackupDirectory, type BackupDirectory } from './format';

export interface RestoreOptions {
  dir: string;
  signal?: AbortSignal;
  onProgress?: (p: RestoreProgress) => void;
}

export interface RestoreProgress {
  /** `sending` while chunks go out (cancellable); `server` while the server builds the stream (it cannot be stopped). */
  phase: 'sending' | 'server';
  bytes: number;
  totalBytes: number;
}

export interface RestoreResult {
  stream: string;
  dir: string;
  format: BackupDirectory['format'];
  bytes: number;
  config: StreamConfig;
  state: StreamState;
  /** The consumers the stream has after the restore. */
  consumers: string[];
  ms: number;
}

const CHUNK = 128 * 1024;
const IN_FLIGHT = 4;
const CONSUMERS_WAIT_MS = 10_000;
/** The server builds the stream after the last chunk: a large one takes long (jsm.go waits an hour). */
const FINAL_TIMEOUT_MS = 60 * 60_000;

/** Reads the backup in `dir` and restores its stream; refuses a stream that exists and an archive the server cannot read. */
export async function restoreStream(session: NatsSession, options: RestoreOptions): Promise<RestoreResult> {
  const { dir, signal } = options;
  const started = Date.now();
  signal?.throwIfAborted();
  const backup = await readBackupDirectory(dir);
  const stream = backup.meta.config.name;
  const action = `restoring ${stream}`;
  const version = session.nc.info?.version;
  if (backup.format === 'arc' && !versionAtLeast(version, ARC_SERVER.major, ARC_SERVER.minor)) {
    throw new NatsUserError(
      `${dir} holds a backup in the archive format of nats-server ${ARC_SERVER.text} and later (stream.arc.s2), and ${session.server} runs nats-server ${version ?? '(unknown version)'}, which cannot read it: ` +
        `restore it on nats-server ${ARC_SERVER.text} or later, or move the messages with Export Messages… and Import Messages… (\`cim-nats export\` / \`import\`: JSON lines, new sequence numbers, no consumers).`,
    );
  }
  const ctx = await apiContext(session);
  const existing = await ctx.jsm.streams.info(stream).catch((e: unknown) => {
    if (apiCode(e) === API.STREAM_NOT_FOUND) return undefined;
    throw userError(session, e, { action, stream });
  });
  if (existing) throw exists(session, stream, existing.state.messages);
  let reply: { deliver_subject: string };
  try {
    reply = await apiRequest<{ deliver_subject: string }>(ctx, `${ctx.prefix}.STREAM.RESTORE.${stream}`, { config: backup.meta.config, state: backup.meta.state });
  } catch (e) {
    if (apiCode(e) === API.RESTORE_NAME_IN_USE) {
      const info = await ctx.jsm.streams.info(stream).catch(() => undefined);
      throw exists(session, stream, info?.state.messages, e);
    }
    throw userError(session, e, { action, stream });
  }

  const total = backup.size;
  let sent = 0;
  const file = await open(backup.dataFile, 'r');
  try {
    options.onProgress?.({ phase: 'sending', bytes: 0, totalBytes: total });
    // a few chunks in flight, in order on the one connection: the server takes them one by one as they come
    const inFlight: Promise<void>[] = [];
    let offset = 0;
    for (;;) {
      if (signal?.aborted) throw cancelled(stream, sent, total);
      const buf = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await file.read(buf, 0, CHUNK, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      const acked = session.nc.request(reply.deliver_subject, buf.subarray(0, bytesRead), { timeout: ctx.timeout }).then(ack => {
        if (ack.data.length) throw chunkRefused(ack.json<{ error?: ApiError }>());
        sent += bytesRead;
        options.onProgress?.({ phase: 'sending', bytes: sent, totalBytes: total });
      });
      // awaited in order below; a failure after an earlier one must not go unhandled
      acked.catch(() => undefined);
      inFlight.push(acked);
      if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
    }
    // every chunk is out: nats-server 2.15 builds the stream from a whole archive without waiting for the end, so a
    // cancel from here on could not keep the stream from being created
    for (const p of inFlight.splice(0)) await p;
  } catch (e) {
    if (isAbort(e) || e instanceof NatsUserError) throw e;
    // mid-way, no answer means the server or the connection went away, not a JetStream set-up problem
    const why = isNoAnswer(e) || session.nc.isClosed() ? `${session.server} stopped answering in the middle of restoring ${stream} (the server or the connection went away).` : session.describe(e, { action, stream });
    throw new NatsUserError(`${why} The restore stopped after ${formatBytes(sent)} of ${formatBytes(total)}; the server discards an unfinished restore, so no part of ${stream} was created.`, { cause: e });
  } finally {
    await file.close();
  }

  options.onProgress?.({ phase: 'server', bytes: sent, totalBytes: total });
  let created: { config: StreamConfig; state: StreamState; error?: ApiError };
  try {
    const end = await session.nc.request(reply.deliver_subject, new Uint8Array(0), { timeout: FINAL_TIMEOUT_MS });
    created = end.json<typeof created>();
    if (created.error) throw new JetStreamApiError(created.error);
  } catch (e) {
    throw restoreFailed(session, backup, e);
  }
  const consumers = await restoredConsumers(ctx.jsm, stream, created.state.consumer_count ?? backup.meta.state.consumer_count ?? 0);
  return { stream, dir, format: backup.format, bytes: sent, config: created.config, state: created.state, consumers: consumers.sort(), ms: Date.now() - started };
}

function exists(session: NatsSession, stream: string, messages: number | undefined, cause?: unknown): NatsUserError {
  const held = messages === undefined ? '' : ` (it holds ${formatCount(messages)} message${messages === 1 ? '' : 's'})`;
  return new NatsUserError(
    `stream ${stream} already exists on ${session.server}${held}: a restore creates the stream anew, so it is refused and ${stream} is left as it is. Delete ${stream} first to replace it, or restore on another server.`,
    { cause },
  );
}

function chunkRefused(reply: { error?: ApiError }): Error {
  return reply.error ? new JetStreamApiError(reply.error) : new Error('the server refused a chunk of the backup');
}

function cancelled(stream: string, sent: number, total: number): Error {
  const e = new Error(`The restore of ${stream} was cancelled after ${formatBytes(sent)} of ${formatBytes(total)}: the server discards an unfinished restore, so ${stream} was not created.`);
  e.name = 'AbortError';
  return e;
}

function restoreFailed(session: NatsSession, backup: BackupDirectory, e: unknown): Error {
  const stream = backup.meta.config.name;
  if (apiCode(e) === API.STREAM_RESTORE_FAILED) {
    return new NatsUserError(
      `${session.server} could not restore ${stream} from ${backup.dir} ("${(e as Error).message}"), and did not create it: ` +
        (backup.format === 'arc'
          ? `this backup is in nats-server ${ARC_SERVER.text}'s archive format; restore it on a server of that version or later, or move the messages with an export and import (JSON lines).`
          : `restore it on a server of the version it was taken on or later, or move the messages with an export and import (JSON lines).`),
      { cause: e },
    );
  }
  return userError(session, e, { action: `restoring ${stream}`, stream });
}

/** The stream's consumers; in a cluster they are created after the stream, so the backup's count is waited for a while. */
async function restoredConsumers(jsm: JetStreamManager, stream: string, expected: number): Promise<string[]> {
  const deadline = Date.now() + CONSUMERS_WAIT_MS;
  for (;;) {
    const names: string[] = [];
    for await (const c of jsm.consumers.list(stream)) names.push(c.name);
    if (names.length >= expected || Date.now() > deadline) return names.sort();
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}
