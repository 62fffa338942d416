// A causation forest and an aggregate history as a person reads them in a terminal (indented lines) and as a script
// reads them (JSON): the CLI prints these, the editor's summaries say the same sentences.
import type { AggregateHistory, HistoryEntry } from './aggregateHistory';
import type { CausationForest, TraceNode } from './causationTree';

export interface TraceNodeJson {
  messageId: string | null;
  causationId: string | null;
  correlationId: string | null;
  category: string;
  stream: string | null;
  seq: number | null;
  subject: string;
  time: string | null;
  latencyMs: number | null;
  flags: { kind: string; message: string }[];
  children: TraceNodeJson[];
}

/** The forest's summary in one sentence: how many messages, and what a person should look at. */
export function traceSummary(forest: CausationForest): string {
  const parts = [`${forest.size} message${forest.size === 1 ? '' : 's'} with correlation id ${forest.correlationId}`];
  const issues = [
    forest.brokenLinks ? `${forest.brokenLinks} whose cause was not found` : '',
    forest.orphans ? `${forest.orphans} with no cause` : '',
    forest.unansweredCommands ? `${forest.unansweredCommands} command${forest.unansweredCommands === 1 ? '' : 's'} no event followed` : '',
  ].filter(Boolean);
  return `${parts[0]}${issues.length ? `: ${issues.join(', ')}` : ', every cause found'}.`;
}

/** `10:02:03.120  command  dev.command.sales.order.place  DOMAIN_SALES_COMMANDS #1  +20 ms`, children indented. */
export function traceLines(forest: CausationForest): string[] {
  const lines = [traceSummary(forest)];
  const walk = (node: TraceNode, depth: number) => {
    const m = node.message;
    const indent = '  '.repeat(depth);
    const latency = node.latencyMs === undefined ? '' : `  +${formatLatency(node.latencyMs)}`;
    lines.push(`${indent}${m.time ? m.time.toISOString() : '(no time)'}  ${node.category}  ${m.subject}  ${m.stream ?? ''}${m.seq !== undefined ? ` #${m.seq}` : ''}${latency}`);
    for (const f of node.flags) lines.push(`${indent}  ! ${f.message}`);
    for (const c of node.children) walk(c, depth + 1);
  };
  for (const root of forest.roots) walk(root, 0);
  return lines;
}

export function traceJson(forest: CausationForest): { correlationId: string; complete: boolean; size: number; brokenLinks: number; orphans: number; unansweredCommands: number; roots: TraceNodeJson[] } {
  const node = (n: TraceNode): TraceNodeJson => ({
    messageId: n.identity.messageId ?? null,
    causationId: n.identity.causationId ?? null,
    correlationId: n.identity.correlationId ?? null,
    category: n.category,
    stream: n.message.stream ?? null,
    seq: n.message.seq ?? null,
    subject: n.message.subject,
    time: n.message.time?.toISOString() ?? null,
    latencyMs: n.latencyMs ?? null,
    flags: n.flags.map(f => ({ kind: f.kind, message: f.message })),
    children: n.children.map(node),
  });
  const { correlationId, complete, size, brokenLinks, orphans, unansweredCommands } = forest;
  return { correlationId, complete, size, brokenLinks, orphans, unansweredCommands, roots: forest.roots.map(node) };
}

/** The history's summary in one sentence. */
export function historySummary(history: AggregateHistory): string {
  const n = history.events.length;
  const base = `${n} event${n === 1 ? '' : 's'}${history.snapshot ? ' after a snapshot' : ''}${history.latestVersion !== undefined ? `, latest version ${history.latestVersion}` : ''}`;
  if (history.consistent) return `${base}: the versions follow each other.`;
  const issues = [
    history.gaps ? `${history.gaps} gap${history.gaps === 1 ? '' : 's'}` : '',
    history.repeats ? `${history.repeats} repeated version${history.repeats === 1 ? '' : 's'}` : '',
    history.backwards ? `${history.backwards} version${history.backwards === 1 ? '' : 's'} going back` : '',
  ].filter(Boolean);
  return `${base}: ${issues.join(', ')}.`;
}

export function historyLines(history: AggregateHistory): string[] {
  const lines = [historySummary(history)];
  const line = (e: HistoryEntry, label: string) => {
    const m = e.message;
    lines.push(`${m.time ? m.time.toISOString() : '(no time)'}  ${label}  v${e.version ?? '?'}  ${m.subject}  ${m.stream ?? ''}${m.seq !== undefined ? ` #${m.seq}` : ''}`);
    for (const f of e.flags) lines.push(`  ! ${f.message}`);
  };
  if (history.snapshot) line(history.snapshot, 'snapshot');
  for (const e of history.events) line(e, e.eventType ?? 'event');
  return lines;
}

export function historyJson(history: AggregateHistory) {
  const entry = (e: HistoryEntry) => ({
    version: e.version ?? null,
    eventType: e.eventType ?? null,
    eventId: e.eventId ?? null,
    stream: e.message.stream ?? null,
    seq: e.message.seq ?? null,
    subject: e.message.subject,
    time: e.message.time?.toISOString() ?? null,
    flags: e.flags.map(f => ({ kind: f.kind, message: f.message })),
  });
  const { latestVersion, gaps, repeats, backwards, consistent } = history;
  return { consistent, latestVersion: latestVersion ?? null, gaps, repeats, backwards, snapshot: history.snapshot ? entry(history.snapshot) : null, events: history.events.map(entry) };
}

function formatLatency(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
