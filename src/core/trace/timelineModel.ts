// A causation forest or an aggregate history as a timeline a webview draws: lanes, nodes in time order, edges from
// cause to effect, flags as sentences with a severity. Plain JSON (it crosses into the webview); pure.
import type { ViewedMessage } from '../message/types';
import type { AggregateHistory, HistoryEntry, VersionFlag } from './aggregateHistory';
import type { CausationForest, TraceFlag, TraceNode, TraceWindow } from './causationTree';
import { parseObject, type TraceCategory } from './identity';
import { historySummary, traceSummary } from './traceText';

export type TimelineSeverity = 'error' | 'warning' | 'info';
export type LaneMode = 'category' | 'stream';

export interface TimelineFlag {
  kind: string;
  severity: TimelineSeverity;
  message: string;
}

/** Where the message is stored: what the host needs to open or copy it. */
export interface TimelineRef {
  stream: string;
  seq: number;
}

export interface TimelineNode {
  /** Unique in its model. */
  id: string;
  /** Its lane in category mode (a trace category, or snapshot/events in a history). */
  lane: string;
  /** Its lane in stream mode. */
  streamLane: string;
  /** ISO time the stream stored it; null when unknown. */
  time: string | null;
  /** What it is: event type, command type, saga, projection, or the subject's end. */
  label: string;
  subject: string;
  stream: string | null;
  seq: number | null;
  messageId: string | null;
  causationId: string | null;
  /** Milliseconds from its cause (a trace) or from the event before (a history). */
  latencyMs: number | null;
  /** Steps from the top of its tree; 0 in a history. */
  depth: number;
  /** A history's version. */
  version: number | null;
  flags: TimelineFlag[];
  ref: TimelineRef | null;
}

export interface TimelineLane {
  id: string;
  label: string;
}

export interface TimelineEdge {
  from: string;
  to: string;
  /** `causes` in a trace; `follows` joins a history's versions in order. */
  kind: 'causes' | 'follows';
}

export interface TimelineModel {
  kind: 'trace' | 'history';
  /** Also the panel's identity: a second timeline with the same title reveals the first. */
  title: string;
  /** Sentences shown above the timeline, the most important first. */
  summary: string[];
  lanes: Record<LaneMode, TimelineLane[]>;
  /** In time order (unknown times last). */
  nodes: TimelineNode[];
  edges: TimelineEdge[];
  /** The window searched, when there was one. */
  window: { since: string | null; until: string | null } | null;
}

const CATEGORY_LANES: { id: TraceCategory; label: string }[] = [
  { id: 'command', label: 'Commands' },
  { id: 'event', label: 'Domain events' },
  { id: 'saga', label: 'Sagas' },
  { id: 'projection', label: 'Projections' },
  { id: 'snapshot', label: 'Snapshots' },
  { id: 'other', label: 'Other' },
];

const TRACE_SEVERITY: Record<TraceFlag['kind'], TimelineSeverity> = {
  'broken-link': 'error',
  cycle: 'error',
  orphan: 'warning',
  'unanswered-command': 'warning',
  'duplicate-id': 'warning',
};

const VERSION_SEVERITY: Record<VersionFlag['kind'], TimelineSeverity> = {
  gap: 'error',
  repeat: 'error',
  back: 'error',
  'snapshot-ahead': 'error',
  'no-version': 'warning',
};

const NO_STREAM = '(no stream)';

export function traceTimeline(forest: CausationForest, options: { correlationId: string; window?: TraceWindow }): TimelineModel {
  const nodes: TimelineNode[] = [];
  const edges: TimelineEdge[] = [];
  const walk = (n: TraceNode, depth: number, cause: string | undefined): void => {
    const id = `n${nodes.length}`;
    const m = n.message;
    nodes.push({
      ...placeOf(m, id),
      lane: n.category,
      label: labelOf(m, n.category),
      messageId: n.identity.messageId ?? null,
      causationId: n.identity.causationId ?? null,
      latencyMs: n.latencyMs ?? null,
      depth,
      version: null,
      flags: n.flags.map((f) => ({ kind: f.kind, severity: TRACE_SEVERITY[f.kind], message: f.message })),
    });
    if (cause !== undefined) edges.push({ from: cause, to: id, kind: 'causes' });
    for (const c of n.children) walk(c, depth + 1, id);
  };
  for (const root of forest.roots) walk(root, 0, undefined);
  const window = options.window && (options.window.since || options.window.until)
    ? { since: options.window.since?.toISOString() ?? null, until: options.window.until?.toISOString() ?? null }
    : null;
  return finish({
    kind: 'trace',
    title: `Trace ${options.correlationId}`,
    summary: [traceSummary(forest)],
    lanes: { category: CATEGORY_LANES.filter((l) => nodes.some((n) => n.lane === l.id)), stream: [] },
    nodes,
    edges,
    window,
  });
}

export function historyTimeline(history: AggregateHistory, options: { domain: string; aggregate: string; id: string }): TimelineModel {
  const nodes: TimelineNode[] = [];
  const edges: TimelineEdge[] = [];
  const add = (e: HistoryEntry, lane: 'snapshot' | 'events', latencyMs: number | null): string => {
    const id = `n${nodes.length}`;
    const m = e.message;
    const what = lane === 'snapshot' ? `snapshot` : (e.eventType ?? labelOf(m, 'event'));
    nodes.push({
      ...placeOf(m, id),
      lane,
      label: e.version === undefined ? what : `${what} v${e.version}`,
      messageId: e.eventId ?? null,
      causationId: null,
      latencyMs,
      depth: 0,
      version: e.version ?? null,
      flags: e.flags.map((f) => ({ kind: f.kind, severity: VERSION_SEVERITY[f.kind], message: f.message })),
    });
    return id;
  };
  let previous: { id: string; entry: HistoryEntry } | undefined;
  if (history.snapshot) previous = { id: add(history.snapshot, 'snapshot', null), entry: history.snapshot };
  for (const e of history.events) {
    const id = add(e, 'events', previous ? between(previous.entry.message, e.message) : null);
    // The snapshot folds in versions up to its own: only an event after it follows it.
    const follows = previous && (previous.entry !== history.snapshot || e.version === undefined || previous.entry.version === undefined || e.version > previous.entry.version);
    if (previous && follows) edges.push({ from: previous.id, to: id, kind: 'follows' });
    previous = { id, entry: e };
  }
  return finish({
    kind: 'history',
    title: `History of ${options.domain} ${options.aggregate} ${options.id}`,
    summary: [historySummary(history)],
    lanes: { category: [{ id: 'snapshot', label: 'Snapshot' }, { id: 'events', label: 'Events' }].filter((l) => nodes.some((n) => n.lane === l.id)), stream: [] },
    nodes,
    edges,
    window: null,
  });
}

/** Sorts the nodes by time (unknown last, stable) and derives the stream lanes in order of first appearance. */
function finish(model: TimelineModel): TimelineModel {
  const order = new Map(model.nodes.map((n, i) => [n.id, i]));
  const at = (n: TimelineNode) => (n.time === null ? Infinity : Date.parse(n.time));
  model.nodes.sort((a, b) => at(a) - at(b) || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const streams: string[] = [];
  for (const n of model.nodes) if (!streams.includes(n.streamLane)) streams.push(n.streamLane);
  model.lanes.stream = streams.map((s) => ({ id: s, label: s }));
  return model;
}

function placeOf(m: ViewedMessage, id: string): Pick<TimelineNode, 'id' | 'streamLane' | 'time' | 'subject' | 'stream' | 'seq' | 'ref'> {
  return {
    id,
    streamLane: m.stream ?? NO_STREAM,
    time: m.time?.toISOString() ?? null,
    subject: m.subject,
    stream: m.stream ?? null,
    seq: m.seq ?? null,
    ref: m.stream !== undefined && m.seq !== undefined ? { stream: m.stream, seq: m.seq } : null,
  };
}

function between(a: ViewedMessage, b: ViewedMessage): number | null {
  return a.time && b.time ? b.time.getTime() - a.time.getTime() : null;
}

/** What a person calls the message: its envelope's type name, else the end of its subject. */
function labelOf(m: ViewedMessage, category: TraceCategory): string {
  const env = parseObject(m.data);
  const text = (k: string) => (env && typeof env[k] === 'string' && env[k] !== '' ? (env[k] as string) : undefined);
  const named = (() => {
    switch (category) {
      case 'event': return text('event_type');
      case 'command': return text('command_type');
      case 'saga': return [text('process_name'), text('event_type')].filter(Boolean).join(' · ') || undefined;
      case 'projection': return [text('view_name'), text('operation')].filter(Boolean).join(' · ') || undefined;
      case 'snapshot': return text('aggregate_type') ? `${text('aggregate_type')} snapshot` : 'snapshot';
      default: return undefined;
    }
  })();
  return named ?? m.subject.split('.').slice(-2).join('.');
}
