// The timeline's geometry and keyboard moves, pure so that they are tested without a browser: one column per
// message in time order (a sequence diagram's axis: readable whether causes are milliseconds or hours apart, with the
// time between columns written on the axis), one row per lane.
import type { LaneMode, TimelineLane, TimelineModel, TimelineNode } from '../trace/timelineModel';

export interface TimelineColumn {
  nodeId: string;
  /** HH:MM:SS.mmm (UTC), or "?" when the time is unknown. */
  clock: string;
  /** The time since the column before, "+1.25 s"; empty for the first or an unknown time. */
  gap: string;
}

export interface TimelineLayout {
  lanes: TimelineLane[];
  columns: TimelineColumn[];
  /** Node id → [column, row]. */
  cells: Map<string, [number, number]>;
}

export function timelineLayout(model: TimelineModel, mode: LaneMode): TimelineLayout {
  const lanes = model.lanes[mode];
  const row = new Map(lanes.map((l, i) => [l.id, i]));
  const cells = new Map<string, [number, number]>();
  const columns: TimelineColumn[] = [];
  let before: number | undefined;
  model.nodes.forEach((n, i) => {
    cells.set(n.id, [i, row.get(mode === 'category' ? n.lane : n.streamLane) ?? 0]);
    const t = n.time === null ? undefined : Date.parse(n.time);
    columns.push({ nodeId: n.id, clock: t === undefined ? '?' : new Date(t).toISOString().slice(11, 23), gap: t !== undefined && before !== undefined ? `+${duration(t - before)}` : '' });
    if (t !== undefined) before = t;
  });
  return { lanes, columns, cells };
}

export type TimelineMove = 'previous' | 'next' | 'first' | 'last' | 'cause' | 'effect' | 'previousSibling' | 'nextSibling';

/** The move a key asks for: ←/→ along time, ↑ to the cause, ↓ to the first effect, Shift+↑/↓ between effects of one cause. */
export function moveForKey(key: string, shift: boolean): TimelineMove | undefined {
  switch (key) {
    case 'ArrowLeft': return 'previous';
    case 'ArrowRight': return 'next';
    case 'Home': return 'first';
    case 'End': return 'last';
    case 'ArrowUp': return shift ? 'previousSibling' : 'cause';
    case 'ArrowDown': return shift ? 'nextSibling' : 'effect';
    default: return undefined;
  }
}

/** The node a move lands on, or a sentence saying why there is none (read out in the status line). */
export function move(model: TimelineModel, from: string | null, how: TimelineMove): { nodeId: string } | { none: string } {
  const nodes = model.nodes;
  if (nodes.length === 0) return { none: 'The timeline is empty.' };
  const i = from === null ? -1 : nodes.findIndex((n) => n.id === from);
  if (i < 0) return { nodeId: nodes[how === 'last' ? nodes.length - 1 : 0]!.id };
  const at = (j: number, none: string) => (j >= 0 && j < nodes.length ? { nodeId: nodes[j]!.id } : { none });
  const order = new Map(nodes.map((n, j) => [n.id, j]));
  const cause = model.edges.find((e) => e.to === from)?.from;
  const effects = (id: string | undefined) => model.edges.filter((e) => e.from === id).map((e) => e.to).sort((a, b) => order.get(a)! - order.get(b)!);
  const word = model.kind === 'trace' ? { cause: 'cause', effect: 'effect' } : { cause: 'version before', effect: 'version after' };
  switch (how) {
    case 'previous': return at(i - 1, 'This is the first message.');
    case 'next': return at(i + 1, 'This is the last message.');
    case 'first': return at(0, '');
    case 'last': return at(nodes.length - 1, '');
    case 'cause': return cause === undefined ? { none: `${short(nodes[i]!)} has no ${word.cause} in this timeline.` } : { nodeId: cause };
    case 'effect': {
      const first = effects(from!)[0];
      return first === undefined ? { none: `${short(nodes[i]!)} has no ${word.effect} in this timeline.` } : { nodeId: first };
    }
    case 'previousSibling':
    case 'nextSibling': {
      if (cause === undefined) return { none: `${short(nodes[i]!)} has no ${word.cause}, so no siblings.` };
      const siblings = effects(cause);
      const k = siblings.indexOf(from!) + (how === 'nextSibling' ? 1 : -1);
      const s = siblings[k];
      return s === undefined ? { none: `No ${how === 'nextSibling' ? 'later' : 'earlier'} effect of the same cause.` } : { nodeId: s };
    }
  }
}

/** "OrderPlaced (EVENTS #12)": a node named in a sentence. */
export function short(n: TimelineNode): string {
  return `${n.label} (${n.ref ? `${n.ref.stream} #${n.ref.seq}` : n.subject})`;
}

/** One line a screen reader reads for a node: what, when, where, and its flags. */
export function describe(n: TimelineNode): string {
  const where = n.ref ? `${n.ref.stream} #${n.ref.seq}` : n.subject;
  const latency = n.latencyMs === null ? '' : `, ${duration(n.latencyMs)} after ${n.depth > 0 ? 'its cause' : 'the message before'}`;
  return `${n.label} at ${n.time ?? 'an unknown time'}, ${where}${latency}`;
}

export function duration(ms: number): string {
  const a = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (a < 1000) return `${sign}${a} ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 2 : 1)} s`;
  if (a < 3_600_000) return `${sign}${Math.floor(a / 60_000)} min ${Math.round((a % 60_000) / 1000)} s`;
  return `${sign}${Math.floor(a / 3_600_000)} h ${Math.round((a % 3_600_000) / 60_000)} min`;
}
