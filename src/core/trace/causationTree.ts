// The messages of one correlation assembled into causation trees: who caused what, how long after, and where the
// chain is broken, orphaned or stops at a command no event followed. Pure: the caller reads the messages.
import type { ViewedMessage } from '../message/types';
import { messageIdentity, type MessageIdentity, type TraceCategory } from './identity';

/** The time window the messages were searched in; a cause before `since` was not looked for. */
export interface TraceWindow {
  since?: Date;
  until?: Date;
}

export interface TraceOptions {
  correlationId: string;
  window?: TraceWindow;
  /** The category the algebra gives a message's subject; the envelope's id field decides otherwise. */
  categoryOf?: (message: ViewedMessage) => TraceCategory | undefined;
}

export type TraceFlag =
  | { kind: 'broken-link'; causationId: string; /** The cause may have been stored before the window. */ outsideWindowPossible: boolean; message: string }
  | { kind: 'orphan'; message: string }
  | { kind: 'unanswered-command'; message: string }
  | { kind: 'duplicate-id'; message: string }
  | { kind: 'cycle'; message: string };

export interface TraceNode {
  message: ViewedMessage;
  identity: MessageIdentity;
  category: TraceCategory;
  /** Milliseconds from its cause's time to its own; absent at the top of a tree or when a time is unknown. */
  latencyMs?: number;
  /** Ordered by time. */
  children: TraceNode[];
  flags: TraceFlag[];
}

export interface CausationForest {
  correlationId: string;
  /** The conversation's origin first, then the trees of orphans and broken links, by time. */
  roots: TraceNode[];
  /** Messages in the trees. */
  size: number;
  brokenLinks: number;
  orphans: number;
  unansweredCommands: number;
  /** Every causation id was found among the messages. */
  complete: boolean;
  /** Messages left out because they carry another correlation id. */
  otherCorrelation: number;
}

/** Assembles the messages that carry `correlationId` into causation trees, flagging what a person should look at. */
export function buildCausationForest(messages: readonly ViewedMessage[], options: TraceOptions): CausationForest {
  const { correlationId, window } = options;
  const nodes: TraceNode[] = [];
  let otherCorrelation = 0;
  for (const message of messages) {
    const identity = messageIdentity(message);
    // The origin may have been published without naming itself as its correlation.
    const belongs = identity.correlationId === undefined ? identity.messageId === correlationId : identity.correlationId === correlationId;
    if (!belongs) {
      otherCorrelation++;
      continue;
    }
    nodes.push({ message, identity, category: options.categoryOf?.(message) ?? identity.category, children: [], flags: [] });
  }
  nodes.sort(byTime);

  const byId = new Map<string, TraceNode>();
  for (const node of nodes) {
    const id = node.identity.messageId;
    if (id === undefined) continue;
    const first = byId.get(id);
    if (first) node.flags.push({ kind: 'duplicate-id', message: `Message id ${id} was seen before (${where(first.message)}): the same message stored twice, or two messages sharing an id.` });
    else byId.set(id, node);
  }

  const parent = new Map<TraceNode, TraceNode>();
  const roots: TraceNode[] = [];
  for (const node of nodes) {
    const { causationId, isRoot } = node.identity;
    const cause = isRoot || causationId === undefined ? undefined : byId.get(causationId);
    if (cause && cause !== node) {
      parent.set(node, cause);
      cause.children.push(node);
    } else {
      roots.push(node);
      if (!isRoot && causationId !== undefined) node.flags.push(brokenLink(node, causationId, window));
    }
  }
  breakCycles(nodes, roots, parent);

  let orphans = 0;
  for (const root of roots) {
    if (root.identity.isRoot && root.identity.messageId !== correlationId) {
      orphans++;
      root.flags.push({ kind: 'orphan', message: `It carries correlation id ${correlationId} but names no cause: nothing links it to the conversation's origin.` });
    }
  }
  let unansweredCommands = 0;
  for (const node of nodes) {
    const cause = parent.get(node);
    if (cause && node.message.time && cause.message.time) node.latencyMs = node.message.time.getTime() - cause.message.time.getTime();
    node.children.sort(byTime);
    // A second copy of a command is answered, if at all, under the first.
    const duplicate = node.flags.some((f) => f.kind === 'duplicate-id');
    if (node.category === 'command' && !duplicate && !node.children.some((c) => c.category === 'event')) {
      unansweredCommands++;
      const after = window?.until ? `, or its event came after the window (to ${window.until.toISOString()})` : '';
      node.flags.push({ kind: 'unanswered-command', message: `No event followed this command: it was refused, is still pending${after}.` });
    }
  }
  roots.sort((a, b) => Number(b.identity.messageId === correlationId) - Number(a.identity.messageId === correlationId) || byTime(a, b));
  const brokenLinks = nodes.filter((n) => n.flags.some((f) => f.kind === 'broken-link')).length;
  return { correlationId, roots, size: nodes.length, brokenLinks, orphans, unansweredCommands, complete: brokenLinks === 0, otherCorrelation };
}

function brokenLink(node: TraceNode, causationId: string, window: TraceWindow | undefined): TraceFlag {
  const since = window?.since;
  // A cause is stored before its effect: only a window with a start can have left it out.
  const outsideWindowPossible = since !== undefined;
  const message = outsideWindowPossible
    ? `Its cause ${causationId} was not found: it may have been stored before the window (from ${since.toISOString()}), or the chain is broken here.`
    : `Its cause ${causationId} is in none of the messages searched: the chain is broken here.`;
  return { kind: 'broken-link', causationId, outsideWindowPossible, message };
}

/** Messages whose causes lead round in a circle reach no root: each circle is cut at its earliest message. */
function breakCycles(nodes: readonly TraceNode[], roots: TraceNode[], parent: Map<TraceNode, TraceNode>): void {
  const reached = new Set<TraceNode>();
  const reach = (from: TraceNode): void => {
    const stack = [from];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (reached.has(n)) continue;
      reached.add(n);
      stack.push(...n.children);
    }
  };
  roots.forEach(reach);
  for (const node of nodes) {
    if (reached.has(node)) continue;
    // Up from an unreached message, its causes repeat: the repeating part is the circle.
    const path: TraceNode[] = [];
    let n: TraceNode | undefined = node;
    while (n && !path.includes(n)) {
      path.push(n);
      n = parent.get(n);
    }
    const circle = path.slice(path.indexOf(n!)).sort(byTime);
    const cut = circle[0]!;
    const cause = parent.get(cut)!;
    cause.children.splice(cause.children.indexOf(cut), 1);
    parent.delete(cut);
    roots.push(cut);
    cut.flags.push({ kind: 'cycle', message: `Its cause ${cut.identity.causationId ?? ''} is caused, in the end, by this message itself: the causation ids go round in a circle.` });
    reach(cut);
  }
}

function byTime(a: TraceNode, b: TraceNode): number {
  return (a.message.time?.getTime() ?? Infinity) - (b.message.time?.getTime() ?? Infinity) || (a.message.seq ?? 0) - (b.message.seq ?? 0);
}

function where(m: ViewedMessage): string {
  return `${m.stream ?? 'no stream'}${m.seq === undefined ? '' : ` #${m.seq}`}`;
}
