// A stream's configuration as a document (`<name>.stream.json`, beside an export), read back, and made creatable on
// another server.
import type { StreamConfig } from '@nats-io/jetstream';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import type { CimStreamConfig } from './cimStreams';

/** The stream's configuration as a JSON document for `<name>.stream.json` (natscli's `stream add --config` reads it too). */
export async function streamConfigDocument(session: NatsSession, stream: string): Promise<string> {
  const jsm = await session.jetstreamManager();
  try {
    const info = await jsm.streams.info(stream);
    return `${JSON.stringify(info.config, null, 2)}\n`;
  } catch (e) {
    throw new NatsUserError(session.describe(e, { action: `reading the configuration of stream ${stream}`, stream }), { cause: e });
  }
}

export type StreamConfigDocumentResult = { ok: true; config: StreamConfig } | { ok: false; problem: string };

/** A `.stream.json` document read back; a problem sentence when it is no stream configuration. */
export function parseStreamConfigDocument(text: string): StreamConfigDocumentResult {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: `it is not JSON (${(e instanceof Error ? e.message : String(e)).replace(/\.$/, '')}).` };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, problem: 'it is not a stream configuration: expected a JSON object with "name" and "subjects".' };
  const o = v as Record<string, unknown>;
  if (typeof o.name !== 'string' || !/^[^\s.*>/\\]+$/.test(o.name)) return { ok: false, problem: '"name" must be a stream name: no spaces, dots, *, > or slashes.' };
  if (o.subjects !== undefined && (!Array.isArray(o.subjects) || o.subjects.some(s => typeof s !== 'string'))) return { ok: false, problem: '"subjects" must be a list of subjects.' };
  return { ok: true, config: o as unknown as StreamConfig };
}

/** Fields the client refuses on servers before 2.10 when they are set: left out at their defaults. */
const DROPPED_WHEN_DEFAULT = new Set([
  'compression', 'consumer_limits', 'metadata', 'first_seq', 'subject_transform', 'allow_msg_ttl', 'subject_delete_marker_ttl',
  'allow_msg_counter', 'allow_atomic', 'allow_batched', 'allow_msg_schedules',
]);

/**
 * What to create from an exported configuration: not sealed, no mirror or sources (the import brings the messages),
 * no placement (another cluster's tags), the server's own `_nats.*` metadata and features at their defaults left out,
 * so a 2.15 export creates its stream on 2.9. `notes` says what was left out that mattered.
 */
export function creatableStreamConfig(config: StreamConfig, name: string = config.name): { config: CimStreamConfig; notes: string[] } {
  const notes: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config as unknown as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    if (key === 'sealed' || key === 'mirror' || key === 'sources' || key === 'placement') {
      if (key === 'sources' && Array.isArray(value) && value.length > 0) notes.push(`its sources (${value.map(s => (s as { name?: string }).name).join(', ')}) were left out: the import brings the messages`);
      if (key === 'placement' && typeof value === 'object' && Object.keys(value).length > 0) notes.push('its placement was left out: it names the cluster the export came from');
      continue;
    }
    if (key === 'metadata' && typeof value === 'object') {
      const own = Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => !k.startsWith('_nats.')));
      if (Object.keys(own).length > 0) out.metadata = own;
      continue;
    }
    if (DROPPED_WHEN_DEFAULT.has(key) && (value === false || value === 0 || value === 'none' || (typeof value === 'object' && Object.keys(value).length === 0))) continue;
    out[key] = value;
  }
  out.name = name;
  return { config: out as unknown as CimStreamConfig, notes };
}
