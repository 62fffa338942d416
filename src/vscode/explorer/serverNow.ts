// The server's figures at the moment a prompt names them (a confirmation, an "All N" choice, a summary): one fresh
// stream or consumer info request, never a tree row read earlier. What is gone is said, and the tree told.
import type { ConnectionEntry } from '../../nats/connection/manager';
import type { ConsumerSummary, StreamSummary } from '../../nats/explorer';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { natsRuntime } from '../platform/natsRuntime';

export async function streamNow(registry: ConnectionRegistry, entry: ConnectionEntry, name: string): Promise<StreamSummary> {
  const [rt, session] = await Promise.all([natsRuntime(), registry.session(entry.id)]);
  const stream = await rt.streamNow(session, name);
  if (!stream) {
    registry.didChangeServer({ connectionId: entry.id, streams: [name], reason: 'stream gone' });
    throw new Error(`Stream ${name} no longer exists on ${entry.config.name}: the explorer shows what is there now.`);
  }
  return stream;
}

export async function consumerNow(registry: ConnectionRegistry, entry: ConnectionEntry, stream: string, name: string): Promise<ConsumerSummary> {
  const [rt, session] = await Promise.all([natsRuntime(), registry.session(entry.id)]);
  const consumer = await rt.consumerNow(session, stream, name);
  if (!consumer) {
    registry.didChangeServer({ connectionId: entry.id, streams: [stream], reason: 'consumer gone' });
    throw new Error(`Consumer ${name} of ${stream} no longer exists on ${entry.config.name}: the explorer shows what is there now.`);
  }
  return consumer;
}
