// One stream's or one consumer's figures as the server holds them now: what a confirmation, an "All N" choice or a
// summary names, and what the explorer re-reads after an action of ours (never a list read earlier).
import { JetStreamApiCodes } from '@nats-io/jetstream';
import type { NatsSession } from '../connection/connect';
import { API, apiCode } from '../errors/apiCodes';
import { toConsumerSummary, type ConsumerSummary } from './consumerList';
import { userError } from './jsApi';
import { toSummary, type StreamSummary } from './streamList';

/** The stream as the server holds it now; undefined when it does not exist (any more). */
export async function streamNow(session: NatsSession, name: string): Promise<StreamSummary | undefined> {
  try {
    return toSummary(await (await session.jetstreamManager()).streams.info(name));
  } catch (e) {
    if (apiCode(e) === API.STREAM_NOT_FOUND) return undefined;
    throw userError(session, e, { action: `reading the state of ${name}`, stream: name });
  }
}

/** The consumer as the server holds it now; undefined when it (or its stream) does not exist (any more). */
export async function consumerNow(session: NatsSession, stream: string, name: string): Promise<ConsumerSummary | undefined> {
  try {
    return toConsumerSummary(await (await session.jetstreamManager()).consumers.info(stream, name));
  } catch (e) {
    if (apiCode(e) === JetStreamApiCodes.ConsumerNotFound || apiCode(e) === API.STREAM_NOT_FOUND) return undefined;
    throw userError(session, e, { action: `reading the state of consumer ${name} of ${stream}`, stream });
  }
}

/** Several streams now, one info request each (in parallel): those that exist, and the names that do not. */
export async function streamsNow(session: NatsSession, names: readonly string[]): Promise<{ streams: StreamSummary[]; gone: string[] }> {
  const read = await Promise.all(names.map(async name => ({ name, stream: await streamNow(session, name) })));
  return { streams: read.flatMap(r => (r.stream ? [r.stream] : [])), gone: read.filter(r => !r.stream).map(r => r.name) };
}
