// An aggregate's history: its events in stream order (seq), its latest snapshot first when there is one, and the
// version checks an event store owes its readers: a gap, a repeat or a version going back, flagged where it happens.
import type { ViewedMessage } from '../message/types';
import { parseObject } from './identity';

export type VersionFlag =
  | { kind: 'gap'; /** The first and last version missing. */ missing: [number, number]; message: string }
  | { kind: 'repeat'; version: number; message: string }
  | { kind: 'back'; version: number; highest: number; message: string }
  | { kind: 'no-version'; message: string }
  | { kind: 'snapshot-ahead'; message: string };

export interface HistoryEntry {
  message: ViewedMessage;
  /** The envelope's version; absent when it has none. */
  version?: number;
  eventType?: string;
  eventId?: string;
  flags: VersionFlag[];
}

export interface AggregateHistory {
  snapshot?: HistoryEntry;
  /** In stream order. */
  events: HistoryEntry[];
  /** The highest version seen, snapshot included. */
  latestVersion?: number;
  gaps: number;
  repeats: number;
  backwards: number;
  /** No gap, repeat or version going back (CLI exit 0). */
  consistent: boolean;
}

/** Versions of a CIM aggregate start at 1: an event store missing the first ones has a gap at its start. */
const FIRST_VERSION = 1;

export function aggregateHistory(events: readonly ViewedMessage[], snapshot?: ViewedMessage): AggregateHistory {
  const entries = [...events].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0)).map(entry);
  const snap = snapshot ? entry(snapshot) : undefined;
  // Events up to the snapshot's version may be gone (folded into it): the first event may start anywhere up to after it.
  const start = snap?.version !== undefined ? snap.version + 1 : FIRST_VERSION;
  let highest: number | undefined;
  let gaps = 0;
  let repeats = 0;
  let backwards = 0;
  for (const e of entries) {
    const v = e.version;
    if (v === undefined) {
      e.flags.push({ kind: 'no-version', message: 'This message has no version in its envelope, so the versions around it cannot be checked.' });
      continue;
    }
    const expected = highest === undefined ? start : highest + 1;
    if (v > expected) {
      gaps++;
      const missing: [number, number] = [expected, v - 1];
      const which = missing[0] === missing[1] ? `version ${missing[0]} is` : `versions ${missing[0]}–${missing[1]} are`;
      const after = highest === undefined ? (snap ? `follows the snapshot's version ${start - 1}` : 'is the first') : `follows ${highest}`;
      e.flags.push({ kind: 'gap', missing, message: `Version ${v} ${after}: ${which} missing (never stored, or removed by the stream's limits).` });
    } else if (highest !== undefined && v === highest) {
      repeats++;
      e.flags.push({ kind: 'repeat', version: v, message: `Version ${v} again: two events claim the same version.` });
    } else if (highest !== undefined && v < highest) {
      backwards++;
      e.flags.push({ kind: 'back', version: v, highest, message: `Version ${v} comes after version ${highest}: the version went back.` });
    }
    highest = Math.max(highest ?? v, v);
  }
  const lastEvent = [...entries].reverse().find((e) => e.version !== undefined)?.version;
  if (snap?.version !== undefined && lastEvent !== undefined && snap.version > lastEvent) {
    snap.flags.push({ kind: 'snapshot-ahead', message: `The snapshot is at version ${snap.version} but the events end at version ${lastEvent}: later events are missing.` });
  }
  const versions = [highest, snap?.version].filter((v): v is number => v !== undefined);
  const latestVersion = versions.length > 0 ? Math.max(...versions) : undefined;
  return { snapshot: snap, events: entries, latestVersion, gaps, repeats, backwards, consistent: gaps + repeats + backwards === 0 };
}

function entry(message: ViewedMessage): HistoryEntry {
  const env = parseObject(message.data);
  const version = env && typeof env.version === 'number' && Number.isInteger(env.version) ? env.version : undefined;
  const eventType = env && typeof env.event_type === 'string' ? env.event_type : undefined;
  const eventId = env && typeof env.event_id === 'string' ? env.event_id : undefined;
  return { message, version, eventType, eventId, flags: [] };
}
