// Back up a stream through the JetStream snapshot API into natscli's directory layout, with flow control, progress
// and cancel. The data file is written as `<name>.partial` and backup.json last: a folder that stops half-way never
// looks like a whole backup, and what was written is removed.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInbox, type Msg, type Subscription } from '@nats-io/transport-node';
import type { StreamConfig, StreamState } from '@nats-io/jetstream';
import type { NatsSession } from '../connection/connect';
import { API, apiCode } from '../errors/apiCodes';
import { NatsUserError } from '../errors/sentences';
import { apiContext, apiRequest, isAbort, userError } from '../explorer/jsApi';
import { ARC_FILE, FILE_OF, META_FILE, TAR_FILE, metaText, sniffFormat, type SnapshotFormat } from './format';
import { formatBytes } from '../../core/text/format';

export interface BackupOptions {
  stream: string;
  dir: string;
  /** Keep the stream's consumers (config and positions) in the backup; default true, as `--no-consumers` turns off. */
  consumers?: boolean;
  /** Ask the server to check every message's checksum first (`jsck`; nats-server 2.15's archive always checks). */
  check?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: BackupProgress) => void;
  /** Bytes per chunk the server sends (default 128 KiB; the server keeps it within 1 KiB–1 MiB). */
  chunkSize?: number;
}

export interface BackupProgress {
  /** Compressed snapshot bytes received so far. */
  bytes: number;
  /** The stream's size when the snapshot began (uncompressed: the received bytes stay below it when data compresses). */
  streamBytes: number;
  chunks: number;
}

export interface BackupResult {
  stream: string;
  dir: string;
  /** The data file's name in `dir` (stream.tar.s2 or stream.arc.s2). */
  file: string;
  format: SnapshotFormat;
  bytes: number;
  config: StreamConfig;
  state: StreamState;
  consumers: boolean;
  ms: number;
}

const DEFAULT_CHUNK = 128 * 1024;
/** How long the server may stay silent in the middle of a snapshot before the backup counts as broken. */
const IDLE_MS = 15_000;
/** Bytes buffered for the disk before acks wait for it: the server's default window, so a steady disk never slows it. */
const WRITE_BUFFER = 8 * 1024 * 1024;
/** The snapshot's first bytes that must show its archive format. */
const SNIFF_BYTES = 4096;

interface SnapshotResponse {
  config: StreamConfig;
  state: StreamState;
}

/** Backs `stream` up into `dir` (created when missing; refused when it already holds a backup). */
export async function backupStream(session: NatsSession, options: BackupOptions): Promise<BackupResult> {
  const { stream, dir, signal } = options;
  const consumers = options.consumers ?? true;
  const started = Date.now();
  signal?.throwIfAborted();
  const created = await prepareDirectory(dir);
  const ctx = await apiContext(session);
  const inbox = createInbox();
  let out: WriteStream | undefined;
  let partial: string | undefined;
  let sub: Subscription | undefined;
  let received = 0;
  try {
    let format: SnapshotFormat | undefined;
    const head: Uint8Array[] = [];
    /** Acks held back while the file's buffer is full, sent in order when it drains. */
    const waiting: (() => void)[] = [];
    let chunks = 0;
    let streamBytes = 0;
    let finish!: () => void;
    let fail!: (e: Error) => void;
    const ended = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    let idle: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => fail(new NatsUserError(`${session.server} sent nothing for ${IDLE_MS / 1000} s in the middle of the backup of ${stream} (after ${formatBytes(received)}): the backup is incomplete and was removed. Try again.`)), IDLE_MS);
    };
    // a snapshot does not survive a lost connection: say so at once rather than after the idle wait
    const status = session.nc.status();
    void (async () => {
      for await (const st of status) {
        if (st.type === 'disconnect' || st.type === 'close') {
          fail(new NatsUserError(`the connection to ${session.server} was lost in the middle of the backup of ${stream} (after ${formatBytes(received)}): the backup is incomplete and was removed. Try again once the server is back.`));
        }
      }
    })();
    const onAbort = () => fail(abortError(`The backup of ${stream} was cancelled: ${created ? `${dir} was removed` : `nothing of it was left in ${dir}`}.`));
    signal?.addEventListener('abort', onAbort, { once: true });
    const onChunk = (m: Msg) => {
      if (m.data.length === 0) {
        // any empty message ends the snapshot; a status other than 204 says why it failed
        const code = m.headers?.code ?? 0;
        if (code && code !== 204) fail(new NatsUserError(`${session.server} stopped the snapshot of ${stream} after ${formatBytes(received)}: ${code} ${m.headers?.description || 'error'}. Nothing was kept; try again.`));
        else finish();
        return;
      }
      touch();
      received += m.data.length;
      chunks++;
      const ack = () => (m.reply ? m.respond() : undefined);
      let data = m.data;
      if (!out) {
        // the format shows in the first compressed block, which may come after a chunk holding only the S2 header
        head.push(m.data);
        const bytes = Buffer.concat(head);
        format = sniffFormat(bytes);
        if (!format && bytes.length < SNIFF_BYTES) {
          ack();
          return;
        }
        if (!format) return fail(new NatsUserError(`${session.server} sent snapshot data for ${stream} that is not S2-compressed: nothing was kept.`));
        partial = join(dir, `${FILE_OF[format]}.partial`);
        out = createWriteStream(partial, { highWaterMark: WRITE_BUFFER });
        out.on('error', e => fail(new NatsUserError(`cannot write ${partial}: ${e.message}`, { cause: e })));
        data = bytes;
      }
      // ack once the bytes are buffered for the disk: memory stays within the server's window
      if (out.write(data) && !waiting.length) ack();
      else if (waiting.push(ack) === 1) {
        out.once('drain', () => {
          for (const a of waiting.splice(0)) a();
        });
      }
      options.onProgress?.({ bytes: received, streamBytes, chunks });
    };
    sub = session.nc.subscribe(inbox, { callback: (err, m) => (err ? fail(userError(session, err, { action: `backing up ${stream}`, stream })) : onChunk(m)) });
    let reply: SnapshotResponse;
    try {
      reply = await apiRequest<SnapshotResponse>(ctx, `${ctx.prefix}.STREAM.SNAPSHOT.${stream}`, {
        deliver_subject: inbox,
        no_consumers: !consumers,
        chunk_size: options.chunkSize ?? DEFAULT_CHUNK,
        ...(options.check ? { jsck: true } : {}),
      });
    } catch (e) {
      throw await snapshotRefused(session, ctx, stream, e);
    }
    streamBytes = reply.state.bytes;
    options.onProgress?.({ bytes: received, streamBytes, chunks });
    touch();
    try {
      await ended;
    } finally {
      clearTimeout(idle);
      (status as { stop?: () => void }).stop?.();
      signal?.removeEventListener('abort', onAbort);
      sub.unsubscribe();
    }
    if (!out && head.length) throw new NatsUserError(`${session.server} sent a snapshot of ${stream} too short to be one (${formatBytes(received)}): nothing was kept.`);
    if (!out || !format || !partial) throw new NatsUserError(`${session.server} ended the snapshot of ${stream} without sending any data: nothing was kept.`);
    await closeStream(out);
    out = undefined;
    const file = FILE_OF[format];
    await rename(partial, join(dir, file));
    partial = join(dir, file);
    // backup.json last: its presence marks a whole backup
    await writeFile(join(dir, `${META_FILE}.partial`), metaText(reply));
    await rename(join(dir, `${META_FILE}.partial`), join(dir, META_FILE));
    return { stream, dir, file, format, bytes: received, config: reply.config, state: reply.state, consumers, ms: Date.now() - started };
  } catch (e) {
    sub?.unsubscribe();
    if (out) await closeStream(out).catch(() => undefined);
    if (partial) await rm(partial, { force: true });
    await rm(join(dir, `${META_FILE}.partial`), { force: true });
    if (created) await rmdir(dir).catch(() => undefined);
    if (isAbort(e)) throw e;
    throw userError(session, e, { action: `backing up ${stream}`, stream });
  }
}

/** A refused snapshot request as a sentence: a memory stream on a server that cannot snapshot one says what to do instead. */
async function snapshotRefused(session: NatsSession, ctx: Awaited<ReturnType<typeof apiContext>>, stream: string, e: unknown): Promise<Error> {
  if (apiCode(e) === API.STREAM_SNAPSHOT_FAILED) {
    const info = await ctx.jsm.streams.info(stream).catch(() => undefined);
    if (info?.config.storage === 'memory') {
      return new NatsUserError(
        `nats-server ${session.nc.info?.version ?? '(unknown version)'} at ${session.server} cannot snapshot ${stream}, a memory stream ("${(e as Error).message}"): ` +
          'keep its messages with Export Messages… (`cim-nats export`; JSON lines, re-published under new sequence numbers on import), or back it up on a server that snapshots memory streams (nats-server 2.15 does).',
        { cause: e },
      );
    }
  }
  return userError(session, e, { action: `backing up ${stream}`, stream });
}

async function prepareDirectory(dir: string): Promise<boolean> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new NatsUserError(`${dir} is a file: give a folder for the backup (a new or an empty one).`);
    if (code !== 'ENOENT') throw new NatsUserError(`cannot read ${dir}: ${(e as Error).message}.`, { cause: e });
    try {
      await mkdir(dir, { recursive: true });
    } catch (e2) {
      throw new NatsUserError(`cannot create ${dir}: ${(e2 as Error).message}.`, { cause: e2 });
    }
    return true;
  }
  const taken = names.filter(n => n === META_FILE || n === TAR_FILE || n === ARC_FILE);
  if (taken.length) throw new NatsUserError(`${dir} already holds a backup (${taken.join(', ')}): choose a new or an empty folder, so that no backup is overwritten.`);
  return false;
}

function closeStream(out: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.destroyed) return resolve();
    out.end((e?: Error | null) => (e ? reject(e) : resolve()));
  });
}

function abortError(message: string): Error {
  const e = new Error(message);
  e.name = 'AbortError';
  return e;
}
