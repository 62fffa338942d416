// Object-store failures as the user's sentence: a missing store or object, a sealed store, a file that cannot be
// read or written; anything else goes through the session's translation (permissions, timeouts, the server gone).
import { PermissionViolationError, type Status } from '@nats-io/transport-node';
import type { NatsSession } from '../connection/connect';
import { API, apiCode } from '../errors/apiCodes';
import { NatsUserError } from '../errors/sentences';
import { isAbort } from '../explorer/jsApi';

export interface ObjContext {
  /** What was being done: `uploading report.pdf to store FILES`. */
  action: string;
  store: string;
}

/** The error as one sentence about the object store; a cancellation stays an AbortError. */
export function objError(session: NatsSession, e: unknown, ctx: ObjContext): Error {
  if (e instanceof NatsUserError || isAbort(e)) return e as Error;
  const code = apiCode(e);
  const message = e instanceof Error ? e.message : String(e);
  if (code === API.STREAM_NOT_FOUND || /object store not found/i.test(message)) return missingStore(session, ctx.store, e);
  if (code === API.STREAM_SEALED || /sealed stream/i.test(message)) return sealedStore(ctx.store, ctx.action, e);
  if (/invalid bucket name/i.test(message)) return badStoreName(ctx.store);
  return new NatsUserError(session.describe(e, { action: ctx.action, stream: `OBJ_${ctx.store}` }), { cause: e });
}

/**
 * Runs a write to the store and, when it fails, names the store subject the server refused first: the client's own
 * clean-up after a refused chunk (a purge) fails too, and its error would otherwise hide the real refusal.
 */
export async function writingTo<T>(session: NatsSession, ctx: ObjContext, write: () => Promise<T>): Promise<T> {
  const status = session.nc.status() as AsyncIterable<Status> & { stop(): void };
  let refused: string | undefined;
  const prefix = `$O.${ctx.store}.`;
  void (async () => {
    for await (const s of status) {
      if (s.type === 'error' && s.error instanceof PermissionViolationError && s.error.operation === 'publish' && s.error.subject.startsWith(prefix)) refused ??= s.error.subject;
    }
  })();
  try {
    return await write();
  } catch (e) {
    if (refused !== undefined) {
      const who = session.user ? `User ${session.user}` : 'The connecting user';
      throw new NatsUserError(`${who} may not publish to "${refused}", so ${ctx.action} was refused: add "$O.${ctx.store}.>" to its publish permissions in the server config.`, { cause: e });
    }
    throw objError(session, e, ctx);
  } finally {
    status.stop();
  }
}

/**
 * A signal for a transfer that aborts on the user's signal and when the connection drops: a transfer fails at once
 * with how far it got, instead of waiting for a server that may not come back.
 */
export function guardTransfer(session: NatsSession, signal?: AbortSignal): { signal: AbortSignal; lost(): boolean; dispose(): void } {
  const dropped = new AbortController();
  const status = session.nc.status() as AsyncIterable<Status> & { stop(): void };
  void (async () => {
    for await (const s of status) if (s.type === 'disconnect' || s.type === 'close') dropped.abort();
  })();
  if (session.nc.isClosed()) dropped.abort();
  return {
    signal: signal ? AbortSignal.any([signal, dropped.signal]) : dropped.signal,
    lost: () => dropped.signal.aborted && !signal?.aborted,
    dispose: () => status.stop(),
  };
}

export function missingStore(session: NatsSession, store: string, cause?: unknown): NatsUserError {
  return new NatsUserError(`Object store ${store} does not exist on ${session.server}: create it first or check the name.`, { cause });
}

/** An object that is not there (never was, or deleted): callers that only ask whether it exists catch this one. */
export class MissingObjectError extends NatsUserError {}

export function missingObject(store: string, name: string): NatsUserError {
  return new MissingObjectError(`Object store ${store} has no object "${name}": it was deleted or renamed; refresh the explorer.`);
}

export function sealedStore(store: string, action: string, cause?: unknown): NatsUserError {
  return new NatsUserError(`Object store ${store} is sealed, so ${action} was refused: a sealed store can be read but never changed again; use another store.`, { cause });
}

export function badStoreName(store: string): NatsUserError {
  return new NatsUserError(`"${store}" is not a valid object store name: use only letters, digits, "-" and "_".`);
}

/** A local file that could not be read or written, with the reason in the user's words. */
export function fileProblem(e: unknown, file: string, doing: 'read' | 'written'): NatsUserError {
  const code = (e as { code?: unknown } | undefined)?.code;
  const why = code === 'ENOENT' ? (doing === 'read' ? 'it does not exist' : 'its folder does not exist')
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a folder'
    : code === 'ENOSPC' ? 'the disk is full'
    : code === 'EROFS' ? 'the file system is read-only'
    : e instanceof Error ? e.message.replace(/\.$/, '') : String(e);
  const fix = doing === 'read' ? 'choose a file you can read' : 'choose another place to save it';
  return new NatsUserError(`The file ${file} cannot be ${doing} (${why}): ${fix}.`, { cause: e });
}
