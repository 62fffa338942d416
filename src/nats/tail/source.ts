// Where a tail's past comes from: the start checked, and the one stream that stores every subject of the pattern.
import type { JetStreamManager, StreamInfo } from '@nats-io/jetstream';
import { subset } from '../../core/pattern/lattice';
import { NatsUserError } from '../errors/sentences';
import type { TailFrom } from './types';

export function checkFrom(from: TailFrom): void {
  const whole = (n: unknown, min: number) => typeof n === 'number' && Number.isSafeInteger(n) && n >= min;
  const ok = 'last' in from ? whole(from.last, 1) : 'seq' in from ? whole(from.seq, 1) : from.since instanceof Date && !Number.isNaN(from.since.getTime());
  if (!ok) throw new RangeError(`startTail: from must be { last: N >= 1 }, { seq: N >= 1 } or { since: a valid Date }, not ${JSON.stringify(from)}`);
}

/** The stream that stores every subject `pattern` matches; a sentence when none or only part of it is stored. */
export async function findStream(jsm: JetStreamManager, pattern: string, server: string): Promise<StreamInfo> {
  const names: string[] = [];
  for await (const name of jsm.streams.names(pattern)) names.push(name);
  const infos = await Promise.all(names.map(n => jsm.streams.info(n)));
  const whole = infos.find(i => (i.config.subjects ?? []).some(s => subset(pattern, s)));
  if (whole) return whole;
  if (infos.length === 0) {
    throw new NatsUserError(`No stream on ${server} stores "${pattern}", so it has no past to tail: tail it live (without a start), or create a stream for it.`);
  }
  const parts = infos.map(i => `${i.config.name} (${(i.config.subjects ?? []).join(', ')})`).join(', ');
  throw new NatsUserError(`No single stream on ${server} stores all of "${pattern}" (${parts} store${infos.length === 1 ? 's' : ''} part of it): narrow the pattern to one stream's subjects to tail its past, or tail it live.`);
}
