// Messages per second by event type, from two of the explorer's bounded event-type counts a while apart.
import type { EventTypeCounts } from '../explorer/eventTypeCounts';

export interface EventTypeRate {
  /** `aggregate.event`, or `other` for the messages of no type found. */
  key: string;
  /** Per second; null when there is no rate to tell (a type new in this count, a count that went down). */
  rate: number | null;
  estimated: boolean;
}

export interface TimedCounts {
  /** Milliseconds since the epoch. */
  t: number;
  counts: EventTypeCounts;
}

export function eventTypeKey(aggregate: string, event: string): string {
  return `${aggregate}.${event}`;
}

/** The rate of every type in `cur` (and of `other`), sorted as the counts are. */
export function eventTypeRates(prev: TimedCounts | undefined, cur: TimedCounts): EventTypeRate[] {
  const dt = prev ? cur.t - prev.t : 0;
  const before = new Map<string, number>();
  for (const type of prev?.counts.types ?? []) before.set(eventTypeKey(type.aggregate, type.event), type.messages);
  const rate = (was: number | undefined, now: number): number | null =>
    // a type first found now may have been there before: its whole count is not this interval's
    was === undefined || !(dt > 0) || now < was ? null : ((now - was) * 1000) / dt;
  const out: EventTypeRate[] = cur.counts.types.map(type => {
    const key = eventTypeKey(type.aggregate, type.event);
    return { key, rate: rate(before.get(key), type.messages), estimated: !!(type.estimated || cur.counts.estimated) };
  });
  out.push({ key: 'other', rate: prev ? rate(prev.counts.other, cur.counts.other) : null, estimated: !!cur.counts.estimated });
  return out;
}
