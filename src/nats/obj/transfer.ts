// Downloads and uploads between object stores and files, streamed a chunk at a time: memory stays a few chunks
// whatever the size. A download lands in a temporary file beside the target and takes its name only once its
// digest matched; a cancelled or failed one leaves nothing behind.
import { createHash, randomBytes } from 'node:crypto';
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Objm, setSha256Backend } from '@nats-io/obj';
import { formatBytes } from '../../core/text/format';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { isAbort } from '../explorer/jsApi';
import { fileProblem, guardTransfer, MissingObjectError, objError, sealedStore, writingTo } from './objErrors';
import { checkDigest, objectChunks, objectInfo, resolveLink, type ObjectSummary } from './objects';
import { objectStoreStatus } from './stores';

export interface TransferOptions {
  signal?: AbortSignal;
  /** Bytes moved so far of `total`. */
  onProgress?: (done: number, total: number) => void;
}

export interface DownloadResult {
  object: ObjectSummary;
  file: string;
  bytes: number;
}

/** Writes the object (a link's target) to `file`, checking its size and digest; `file` is replaced only on success. */
export async function downloadObject(session: NatsSession, store: string, name: string, file: string, options: TransferOptions = {}): Promise<DownloadResult> {
  const object = await resolveLink(session, await objectInfo(session, store, name));
  const part = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.part`);
  let fh: FileHandle;
  try {
    fh = await open(part, 'wx');
  } catch (e) {
    throw fileProblem(e, file, 'written');
  }
  const hash = createHash('sha256');
  let size = 0;
  let ok = false;
  const guard = guardTransfer(session, options.signal);
  try {
    options.onProgress?.(0, object.size);
    try {
      for await (const chunk of objectChunks(session, object, guard.signal)) {
        hash.update(chunk);
        size += chunk.length;
        await write(fh, chunk, file);
        options.onProgress?.(size, object.size);
      }
      guard.signal.throwIfAborted();
    } catch (e) {
      if (guard.lost()) throw new NatsUserError(`The connection to ${session.server} was lost after ${formatBytes(size)} of ${formatBytes(object.size)} of "${name}" had arrived: nothing was saved to ${file}; download it again once the server is back.`, { cause: e });
      if (e instanceof NatsUserError) throw e;
      throw objError(session, e, { action: `downloading "${name}" from store ${store}`, store: object.store });
    }
    checkDigest(object, size, hash.digest(), `nothing was saved to ${file}`);
    await fh.close().catch((e: unknown) => {
      throw fileProblem(e, file, 'written');
    });
    await rename(part, file).catch((e: unknown) => {
      throw fileProblem(e, file, 'written');
    });
    ok = true;
  } finally {
    guard.dispose();
    if (!ok) {
      await fh.close().catch(() => undefined);
      await unlink(part).catch(() => undefined);
    }
  }
  return { object, file, bytes: size };
}

async function write(fh: FileHandle, chunk: Uint8Array, file: string): Promise<void> {
  try {
    for (let at = 0; at < chunk.length;) at += (await fh.write(chunk, at, chunk.length - at)).bytesWritten;
  } catch (e) {
    throw fileProblem(e, file, 'written');
  }
}

const READ_SIZE = 128 * 1024;

export interface UploadOptions extends TransferOptions {
  /** The object's name (the file's name by default). */
  name?: string;
  description?: string;
}

/**
 * Puts the file into the store under its name, read from disk a chunk at a time. An object of that name is
 * replaced: the caller asks first (see `objectExists`). A cancel or failure leaves no chunk of it behind.
 */
export async function uploadFile(session: NatsSession, store: string, file: string, options: UploadOptions = {}): Promise<ObjectSummary> {
  const name = options.name ?? basename(file);
  const action = `uploading "${name}" to store ${store}`;
  let size: number;
  try {
    const s = await stat(file);
    if (s.isDirectory()) throw Object.assign(new Error('it is a folder'), { code: 'EISDIR' });
    size = s.size;
  } catch (e) {
    throw fileProblem(e, file, 'read');
  }
  if ((await objectStoreStatus(session, store)).sealed) throw sealedStore(store, action);
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw fileProblem(e, file, 'read');
  }
  let done = 0;
  let readError: unknown;
  const guard = guardTransfer(session, options.signal);
  const signal = guard.signal;
  options.onProgress?.(0, size);
  // pulled by the client as it publishes: one read per chunk it sends, nothing read ahead
  const data = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        signal?.throwIfAborted();
        const buffer = new Uint8Array(READ_SIZE);
        const { bytesRead } = await fh.read(buffer, 0, READ_SIZE, null);
        if (bytesRead === 0) {
          controller.close();
          return;
        }
        done += bytesRead;
        options.onProgress?.(Math.min(done, size), size);
        controller.enqueue(bytesRead === READ_SIZE ? buffer : buffer.subarray(0, bytesRead));
      } catch (e) {
        readError = e;
        controller.error(e);
      }
    },
  });
  try {
    const info = await writingTo(session, { action, store }, async () => {
      // Node's own SHA-256 for the digest the client computes while it sends (its JavaScript one is several times slower)
      setSha256Backend('native');
      const os = await new Objm(session.jetstream()).open(store, false);
      try {
        return await os.put({ name, ...(options.description ? { description: options.description } : {}) }, data);
      } catch (e) {
        if (readError === undefined) throw e;
        if (isAbort(readError)) throw readError as Error;
        throw fileProblem(readError, file, 'read');
      }
    });
    return await objectInfo(session, store, info.name);
  } catch (e) {
    if (guard.lost()) throw new NatsUserError(`The connection to ${session.server} was lost after ${formatBytes(done)} of ${formatBytes(size)} of ${file} had been read for sending: "${name}" was not stored; upload it again once the server is back.`, { cause: e });
    throw e;
  } finally {
    guard.dispose();
    await fh.close().catch(() => undefined);
  }
}

/** The live object of that name, or undefined: what an upload would replace. */
export async function existingObject(session: NatsSession, store: string, name: string): Promise<ObjectSummary | undefined> {
  try {
    return await objectInfo(session, store, name);
  } catch (e) {
    if (e instanceof MissingObjectError) return undefined;
    throw e;
  }
}
