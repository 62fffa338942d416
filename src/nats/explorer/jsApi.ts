// Raw JetStream API requests for what the client's helpers drop (the `missing` of a list), and small shared helpers.
import { JetStreamApiError, type ApiError, type JetStreamManager } from '@nats-io/jetstream';
import { TimeoutError, RequestError } from '@nats-io/transport-node';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';

const DEFAULT_TIMEOUT_MS = 5_000;

export interface ApiContext {
  session: NatsSession;
  jsm: JetStreamManager;
  /** `$JS.API` or `$JS.<domain>.API`. */
  prefix: string;
  timeout: number;
}

export async function apiContext(session: NatsSession): Promise<ApiContext> {
  const jsm = await session.jetstreamManager();
  const opts = jsm.getOptions();
  return { session, jsm, prefix: opts.apiPrefix ?? '$JS.API', timeout: opts.timeout ?? DEFAULT_TIMEOUT_MS };
}

/** One API request; an error reply becomes the client's own `JetStreamApiError`, so `describe` knows it. */
export async function apiRequest<T>(ctx: ApiContext, subject: string, body: unknown): Promise<T> {
  const m = await ctx.session.nc.request(subject, JSON.stringify(body ?? {}), { timeout: ctx.timeout });
  const reply = m.json<T & { error?: ApiError }>();
  if (reply.error) throw new JetStreamApiError(reply.error);
  return reply;
}

interface PagedReply {
  total: number;
  offset: number;
  limit: number;
  missing?: string[];
}

/**
 * Every item of a paged list (`STREAM.LIST`, `CONSUMER.LIST.<stream>`) and the names the server could not
 * reach (`missing`, in a cluster). Pages after the first are asked for in parallel.
 */
export async function pagedList<T extends { config: { name?: string; durable_name?: string } } | { name?: string }>(
  ctx: ApiContext,
  subject: string,
  key: 'streams' | 'consumers',
  payload: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<{ items: T[]; missing: string[] }> {
  signal?.throwIfAborted();
  const first = await apiRequest<PagedReply & Record<string, T[] | undefined>>(ctx, subject, { ...payload, offset: 0 });
  const pages = [first];
  const got = first[key]?.length ?? 0;
  const limit = first.limit || got;
  if (got > 0 && first.total > got && limit > 0) {
    const offsets: number[] = [];
    for (let o = got; o < first.total; o += limit) offsets.push(o);
    signal?.throwIfAborted();
    pages.push(...(await Promise.all(offsets.map(offset => apiRequest<PagedReply & Record<string, T[] | undefined>>(ctx, subject, { ...payload, offset })))));
  }
  // A stream created or deleted between pages shifts them: keep each name once.
  const seen = new Set<string>();
  const items: T[] = [];
  const missing = new Set<string>();
  for (const page of pages) {
    for (const item of page[key] ?? []) {
      const name = itemName(item);
      if (seen.has(name)) continue;
      seen.add(name);
      items.push(item);
    }
    for (const name of page.missing ?? []) missing.add(name);
  }
  return { items, missing: [...missing].filter(n => !seen.has(n)) };
}

function itemName(item: unknown): string {
  const x = item as { name?: string; config?: { name?: string } };
  return x.config?.name ?? x.name ?? '';
}

/** Whether the server's version is at least major.minor (`2.10.27` ≥ 2.10). */
export function versionAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

/** Whether an error means JetStream did not answer at all (no leader, no responders, timeout). */
export function isNoAnswer(e: unknown): boolean {
  for (let x: unknown = e; x instanceof Error; x = x.cause) {
    if (x instanceof TimeoutError) return true;
    if (x instanceof RequestError && x.isNoResponders()) return true;
    if (x.name === 'JetStreamNotEnabled' && !/for account/i.test(x.message)) return true;
  }
  return false;
}

/** The error as one sentence for the user, keeping the client's error as its cause; a cancellation stays an AbortError. */
export function userError(session: NatsSession, e: unknown, context: Parameters<NatsSession['describe']>[1]): Error {
  if (e instanceof NatsUserError || isAbort(e)) return e as Error;
  return new NatsUserError(session.describe(e, context), { cause: e });
}

export function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/** The sentence for a stream whose leader is missing (see the NATS facts: never "JetStream is not enabled"). */
export function noLeaderSentence(stream: string): string {
  return `no leader for ${stream} yet: the cluster is electing one`;
}

/** Nanoseconds, as JetStream's durations are. */
export function nanos(ms: number): number {
  return ms * 1_000_000;
}

/** Runs fn over items with at most `limit` running at once, results in order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
