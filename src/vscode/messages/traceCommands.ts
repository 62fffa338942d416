// Trace Correlation… and Show Aggregate History…: from the message under the cursor of a message view (a stream's, a
// search's), a tail's recent message, an event type, or typed ids — read with progress and cancel, shown as a
// timeline whose nodes open in a message view and copy as .nats blocks.
import * as vscode from 'vscode';
import { parseWindow } from '../../core/find/timeRange';
import { messageAsNatsBlock } from '../../core/message/format';
import type { ViewedMessage } from '../../core/message/types';
import { aggregateHistory, buildCausationForest, historySummary, messageIdentity, parseObject, traceSummary } from '../../core/trace';
import { historyTimeline, traceTimeline } from '../../core/trace/timelineModel';
import { formatCount } from '../../core/text/format';
import type { AlgebraService } from '../algebraService';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { ExplorerNode } from '../explorer/nodes';
import { pickConnection } from '../explorer/palettePick';
import { COMMANDS } from '../platform/commandIds';
import { registerCommand } from '../platform/commands';
import { settingsFor } from '../platform/configuration';
import { natsRuntime } from '../platform/natsRuntime';
import type { TailManager } from '../tail/tailManager';
import { showTimeline } from '../webviews/timelinePanel';
import type { MessageViews } from './messageView';

/** Scripted use (and tests). */
export interface TraceArgs {
  entryId: string;
  correlationId: string;
  /** ISO time of the origin (default: now). */
  around?: string;
  /** `15m`, `2h` (default: cimNats.trace.window). */
  window?: string;
}

export interface HistoryArgs {
  entryId: string;
  env: string;
  domain: string;
  aggregate: string;
  id: string;
}

/** A message someone points at, with the connection it was read on. */
interface Pointed {
  entryId: string;
  message: ViewedMessage;
}

export function registerTraceCommands(context: vscode.ExtensionContext, registry: ConnectionRegistry, views: MessageViews, algebra: AlgebraService, tails: TailManager): void {
  /** Opens one message of a timeline in a message view; copies it as a .nats block. */
  const handlersFor = (entryId: string, messages: readonly ViewedMessage[]) => {
    const find = (ref: { stream: string; seq: number }) => {
      const m = messages.find(x => x.stream === ref.stream && x.seq === ref.seq);
      if (!m) throw new Error(`${ref.stream} #${ref.seq} is not part of this timeline any more: run it again.`);
      return m;
    };
    return {
      open: async (ref: { stream: string; seq: number }) => {
        const m = find(ref);
        await views.showList({ entryId, name: `${ref.stream} #${ref.seq}`, heading: [`${ref.stream} #${ref.seq} on ${registry.entry(entryId)?.config.name ?? ''}`], messages: [m] }, { beside: true });
      },
      copy: async (ref: { stream: string; seq: number }) => {
        const block = messageAsNatsBlock(find(ref));
        await vscode.env.clipboard.writeText(block);
        return block;
      },
    };
  };

  registerCommand(context, COMMANDS.traceCorrelation, async (arg?: TraceArgs) => {
    const asked = arg?.correlationId ? { ...arg, around: arg.around ? new Date(arg.around) : new Date() } : await askCorrelation(registry, views, tails);
    if (!asked) return undefined;
    const windowText = arg?.window ?? settingsFor()['trace.window'];
    let window = parseWindow(windowText);
    if (!window.ok) throw new Error(window.problem);
    const { algebra: active } = await algebra.algebraFor();
    const rt = await natsRuntime();
    const session = await registry.session(asked.entryId);
    for (;;) {
      const streams = await rt.traceStreams(session, active, settingsFor()['trace.extraStreams']);
      const found = await withReadProgress(`Tracing ${asked.correlationId}`, (signal, report) => rt.findCorrelation(session, {
        correlationId: asked.correlationId, around: asked.around, windowMs: window.ok ? window.ms : 0, streams, maxScanned: settingsFor()['trace.maxScanned'], signal,
        onProgress: (scanned, n) => report(`scanned ${formatCount(scanned)}, ${formatCount(n)} of the correlation`),
      }));
      const where = `${streams.join(', ')} between ${found.window.since.toISOString()} and ${found.window.until.toISOString()}`;
      if (found.messages.length === 0) {
        const wider = widerWindow(window.ok ? window.ms : 0);
        const choice = await vscode.window.showWarningMessage(`No message with correlation id ${asked.correlationId} in ${where}.`, `Widen to ±${wider.label}`);
        if (!choice) return { found: 0 };
        window = { ok: true, ms: wider.ms };
        continue;
      }
      const forest = buildCausationForest(found.messages, { correlationId: asked.correlationId, window: found.window });
      const model = traceTimeline(forest, { correlationId: asked.correlationId, window: found.window });
      const notes = [
        `Searched ${where} (${formatCount(found.scanned)} messages).`,
        ...found.streams.filter(s => s.problem).map(s => `Not searched: ${s.problem}`),
        ...(found.truncated ? [`Stopped after ${formatCount(found.scanned)} messages read (cimNats.trace.maxScanned): the tree may miss messages.`] : []),
      ];
      await showTimeline(context, { ...model, summary: [...model.summary, ...notes] }, handlersFor(asked.entryId, found.messages));
      return { found: forest.size, complete: forest.complete, summary: traceSummary(forest), notes };
    }
  });

  registerCommand(context, COMMANDS.traceAggregateHistory, async (arg?: unknown) => {
    const asked = isHistoryArgs(arg) ? arg : await askAggregate(registry, views, tails, arg);
    if (!asked) return undefined;
    const { algebra: active } = await algebra.algebraFor();
    const rt = await natsRuntime();
    const session = await registry.session(asked.entryId);
    const read = await withReadProgress(`History of ${asked.aggregate} ${asked.id}`, (signal, report) => rt.aggregateEvents(session, active, {
      ...asked, maxScanned: settingsFor()['trace.maxScanned'], signal,
      onProgress: (scanned, n) => report(`scanned ${formatCount(scanned)}, ${formatCount(n)} of the aggregate`),
    }));
    if (read.events.length === 0 && !read.snapshot) {
      void vscode.window.showWarningMessage(`No event of ${asked.aggregate} ${asked.id} in ${read.eventsStream} on ${read.filter}: check the domain, aggregate, id and environment.`);
      return { events: 0 };
    }
    const history = aggregateHistory(read.events, read.snapshot);
    const model = historyTimeline(history, { domain: asked.domain, aggregate: asked.aggregate, id: asked.id });
    const notes = [...read.notes, ...(read.truncated ? [`Stopped after ${formatCount(read.scanned)} messages read (cimNats.trace.maxScanned): events may be missing.`] : [])];
    const messages = [...(read.snapshot ? [read.snapshot] : []), ...read.events];
    await showTimeline(context, { ...model, summary: [...model.summary, ...notes] }, handlersFor(asked.entryId, messages));
    return { events: history.events.length, consistent: history.consistent, summary: historySummary(history) };
  });
}

function isHistoryArgs(arg: unknown): arg is HistoryArgs {
  return !!arg && typeof arg === 'object' && typeof (arg as HistoryArgs).id === 'string' && typeof (arg as HistoryArgs).entryId === 'string';
}

function withReadProgress<T>(title: string, body: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort(new Error(`${title} was cancelled.`)));
    try {
      return await body(abort.signal, message => progress.report({ message }));
    } finally {
      sub.dispose();
    }
  });
}

function widerWindow(ms: number): { ms: number; label: string } {
  const next = [2 * 3_600_000, 24 * 3_600_000, 7 * 24 * 3_600_000].find(w => w > ms) ?? ms * 4;
  return { ms: next, label: next % 86_400_000 === 0 ? `${next / 86_400_000}d` : `${next / 3_600_000}h` };
}

/**
 * The message under the cursor of a message view, else one a running tail showed (picked), else none (type it);
 * `cancelled` when the user closed the pick.
 */
async function pointedMessage(views: MessageViews, tails: TailManager, title: string, usable: (m: ViewedMessage) => boolean): Promise<Pointed | 'cancelled' | undefined> {
  const under = views.messageUnderCursor();
  if (under && usable(under.message)) return { entryId: under.entryId, message: under.message };
  const recent = tails.list().flatMap(t => t.recent.filter(usable).map(m => ({ entryId: t.entryId, message: m, pattern: t.pattern })));
  if (recent.length === 0) return undefined;
  const pick = await vscode.window.showQuickPick([
    { label: '$(edit) Type it…', pointed: undefined },
    ...recent.reverse().map(r => ({ label: r.message.subject, description: `tail of ${r.pattern}${r.message.time ? ` · ${r.message.time.toISOString()}` : ''}`, pointed: { entryId: r.entryId, message: r.message } })),
  ], { title, ignoreFocusOut: true });
  return pick ? pick.pointed : 'cancelled';
}

async function askCorrelation(registry: ConnectionRegistry, views: MessageViews, tails: TailManager): Promise<{ entryId: string; correlationId: string; around: Date } | undefined> {
  const carries = (m: ViewedMessage) => { const id = messageIdentity(m); return !!(id.correlationId ?? id.messageId); };
  const pointed = await pointedMessage(views, tails, 'Trace the correlation of which message?', carries);
  if (pointed === 'cancelled') return undefined;
  if (pointed) {
    const id = messageIdentity(pointed.message);
    return { entryId: pointed.entryId, correlationId: (id.correlationId ?? id.messageId)!, around: pointed.message.time ?? new Date() };
  }
  const entry = await pickConnection(registry, 'Trace a correlation on which connection?');
  if (!entry) return undefined;
  const correlationId = await vscode.window.showInputBox({ title: 'Trace Correlation', prompt: `A correlation id; its messages are looked for ±${settingsFor()['trace.window']} around now`, ignoreFocusOut: true, validateInput: v => (v.trim() ? undefined : 'Type the correlation id (the root message\'s id).') });
  return correlationId ? { entryId: entry.id, correlationId: correlationId.trim(), around: new Date() } : undefined;
}

async function askAggregate(registry: ConnectionRegistry, views: MessageViews, tails: TailManager, node: unknown): Promise<HistoryArgs | undefined> {
  const n = node && typeof node === 'object' && 'kind' in node ? (node as ExplorerNode) : undefined;
  const ask = (title: string, prompt: string, value?: string) => vscode.window.showInputBox({ title, prompt, ignoreFocusOut: true, ...(value ? { value } : {}), validateInput: v => (/^[^\s.*>]+$/.test(v.trim()) ? undefined : 'Type one subject token: no spaces, dots or wildcards.') });
  if (n?.kind === 'eventType') {
    const id = await ask(`History of a ${n.type.aggregate}`, `The ${n.type.aggregate}'s id (aggregate_id)`);
    // the event type's subjects start {env}.{category}.{domain}
    const [env, , domain] = n.prefix.split('.');
    if (!env || !domain) throw new Error(`The event types of ${n.stream.name} name no domain: type the domain, aggregate and id instead (Show Aggregate History… from the palette).`);
    return id ? { entryId: n.entryId, env, domain, aggregate: n.type.aggregate, id: id.trim() } : undefined;
  }
  const envelopeOf = (m: ViewedMessage) => parseObject(m.data);
  const hasAggregate = (m: ViewedMessage) => { const e = envelopeOf(m); return typeof e?.aggregate_id === 'string' && typeof e.domain === 'string'; };
  const pointed = await pointedMessage(views, tails, 'Show the history of which message\'s aggregate?', hasAggregate);
  if (pointed === 'cancelled') return undefined;
  if (pointed) {
    const e = envelopeOf(pointed.message)!;
    const aggregate = typeof e.aggregate_type === 'string' ? e.aggregate_type : pointed.message.subject.split('.')[3] ?? '';
    return { entryId: pointed.entryId, env: pointed.message.subject.split('.')[0]!, domain: e.domain as string, aggregate, id: e.aggregate_id as string };
  }
  const entry = await pickConnection(registry, 'Show an aggregate\'s history on which connection?');
  if (!entry) return undefined;
  const domain = await ask('Aggregate history (1/3)', 'The domain, e.g. sales');
  if (!domain) return undefined;
  const aggregate = await ask('Aggregate history (2/3)', 'The aggregate, e.g. order');
  if (!aggregate) return undefined;
  const id = await ask('Aggregate history (3/3)', `The ${aggregate}'s id (aggregate_id)`);
  if (!id) return undefined;
  return { entryId: entry.id, env: entry.config.environment ?? settingsFor()['playbook.defaultEnvironment'], domain: domain.trim(), aggregate: aggregate.trim(), id: id.trim() };
}
