// The explorer's nodes as data, and how each one looks as a TreeItem (labels, figures, tooltips, icons, menus).
import * as vscode from 'vscode';
import type { CategorySpec } from '../../core/algebra/schema';
import type { GroupKey } from '../../core/explorer/streamGroups';
import { formatAgo, formatBytes, formatCount, formatNanos } from '../../core/text/format';
import type { ConnectionEntry, ConnectionState } from '../../nats/connection/manager';
import type { ConsumerSummary, EventTypeCount, ServerOverview, StreamSummary } from '../../nats/explorer';

export type ExplorerNode =
  | { kind: 'connection'; entry: ConnectionEntry }
  | { kind: 'server'; entryId: string; overview?: ServerOverview; problem?: string }
  | { kind: 'detail'; entryId: string; label: string; description?: string; tooltip?: string; icon?: string }
  | { kind: 'group'; entryId: string; key: GroupKey; title: string; streams: StreamSummary[] }
  | { kind: 'stream'; entryId: string; stream: StreamSummary; category?: CategorySpec }
  | { kind: 'eventTypes'; entryId: string; stream: StreamSummary; prefix: string; domain?: string }
  | { kind: 'eventType'; entryId: string; stream: StreamSummary; prefix: string; type: EventTypeCount }
  | { kind: 'consumer'; entryId: string; consumer: ConsumerSummary; warning?: string }
  | { kind: 'error'; entryId?: string; message: string }
  | { kind: 'note'; entryId?: string; message: string };

/** contextValues are lowercase nouns; `.readonly` hides write actions on a read-only connection. */
function contextValue(noun: string, readOnly: boolean): string {
  return readOnly ? `${noun}.readonly` : noun;
}

export function connectionItem(entry: ConnectionEntry, state: ConnectionState, active: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(entry.config.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `connection:${entry.id}`;
  const flags = [entry.origin === 'environment' ? 'from NATS_URL' : undefined, entry.config.protected ? 'protected' : undefined, entry.config.readOnly ? 'read-only' : undefined].filter(Boolean);
  item.description = [stateText(state), ...flags].join(' · ');
  item.iconPath = stateIcon(state);
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escape(entry.config.name)}**${active ? ' (active)' : ''}\n\n`);
  tip.appendMarkdown(`- servers: ${entry.config.servers.map(s => code(s.replace(/^([a-z]+:\/\/)?[^@/]*@/i, '$1'))).join(', ')}\n`);
  tip.appendMarkdown(`- auth: ${entry.config.auth}${entry.config.user ? ` (${escape(entry.config.user)})` : ''}\n`);
  if (entry.config.jetStreamDomain) tip.appendMarkdown(`- JetStream domain: ${code(entry.config.jetStreamDomain)}\n`);
  if (entry.config.environment) tip.appendMarkdown(`- environment: ${code(entry.config.environment)}\n`);
  if (state.kind === 'failed') tip.appendMarkdown(`\n${escape(state.reason)}`);
  item.tooltip = tip;
  const live = state.kind === 'connected' || state.kind === 'reconnecting';
  item.contextValue = `${contextValue('connection', entry.config.readOnly)}.${live ? 'online' : 'offline'}.${entry.origin}`;
  return item;
}

export function stateText(state: ConnectionState): string {
  switch (state.kind) {
    case 'idle': return 'disconnected';
    case 'connecting': return 'connecting…';
    case 'connected': return 'connected';
    case 'reconnecting': return state.attempt > 0 ? `offline, reconnecting (attempt ${state.attempt})` : 'offline, reconnecting';
    case 'failed': return 'failed';
  }
}

function stateIcon(state: ConnectionState): vscode.ThemeIcon {
  switch (state.kind) {
    case 'connected': return new vscode.ThemeIcon('plug', new vscode.ThemeColor('testing.iconPassed'));
    case 'connecting': return new vscode.ThemeIcon('loading~spin');
    case 'reconnecting': return new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'failed': return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case 'idle': return new vscode.ThemeIcon('debug-disconnect');
  }
}

/** `3,412 msgs · 1.2 MB · 4 s ago` */
export function streamFigures(s: StreamSummary, now = new Date()): string {
  if (s.unavailable) return 'unavailable';
  return `${formatCount(s.messages)} msgs · ${formatBytes(s.bytes)} · ${formatAgo(s.lastActivity, now)}`;
}

export function streamItem(node: Extract<ExplorerNode, { kind: 'stream' }>, readOnly: boolean, hasChildren: boolean): vscode.TreeItem {
  const s = node.stream;
  const item = new vscode.TreeItem(s.name, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `stream:${node.entryId}:${s.name}`;
  item.description = streamFigures(s);
  item.iconPath = s.unavailable
    ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
    : new vscode.ThemeIcon(s.kind === 'kv' ? 'symbol-key' : s.kind === 'object' ? 'file-binary' : 'database');
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escape(s.name)}**${s.description ? ` — ${escape(s.description)}` : ''}\n\n`);
  if (s.unavailable) tip.appendMarkdown(`${escape(s.unavailable)}\n\n`);
  tip.appendMarkdown(`- subjects: ${s.subjects.map(code).join(', ') || '–'}\n`);
  tip.appendMarkdown(`- storage: ${s.storage} · retention: ${s.retention} · max age: ${formatNanos(s.maxAge)} · replicas: ${s.replicas}\n`);
  tip.appendMarkdown(`- ${formatCount(s.messages)} messages (seq ${s.firstSeq}–${s.lastSeq}), ${formatBytes(s.bytes)}, ${formatCount(s.consumerCount)} consumers, last message ${formatAgo(s.lastActivity)}\n`);
  if (s.cluster) {
    tip.appendMarkdown(`- leader: ${s.cluster.leader ? code(s.cluster.leader) : '**none** (the cluster is electing one)'}\n`);
    for (const r of s.cluster.replicas) {
      const lag = r.lag ? `, ${formatCount(r.lag)} behind` : '';
      tip.appendMarkdown(`- replica ${code(r.name)}: ${r.offline ? 'offline' : r.current ? 'current' : 'catching up'}${lag}\n`);
    }
  }
  if (node.category) tip.appendMarkdown(`\nStores the algebra's **${escape(node.category.title ?? node.category.name)}** messages.`);
  item.tooltip = tip;
  item.contextValue = contextValue(s.unavailable ? 'stream.unavailable' : 'stream', readOnly);
  return item;
}

export function consumerItem(node: Extract<ExplorerNode, { kind: 'consumer' }>, readOnly: boolean): vscode.TreeItem {
  const c = node.consumer;
  const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
  item.id = `consumer:${node.entryId}:${c.stream}:${c.name}`;
  item.description = `${formatCount(c.pending)} pending · ${formatCount(c.ackPending)} ack pending · ${formatCount(c.redelivered)} redelivered${c.paused ? ' · paused' : ''}`;
  item.iconPath = node.warning
    ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
    : new vscode.ThemeIcon(c.durable ? 'inbox' : 'eye');
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escape(c.name)}** on ${escape(c.stream)} (${c.durable ? 'durable' : 'ephemeral'})\n\n`);
  if (node.warning) tip.appendMarkdown(`⚠ ${escape(node.warning)}\n\n`);
  tip.appendMarkdown(`- filter: ${c.filterSubjects.map(code).join(', ') || 'the whole stream'}\n`);
  tip.appendMarkdown(`- delivered up to seq ${c.delivered}, acked up to ${c.ackFloor}, ${formatCount(c.waiting)} waiting pulls\n`);
  tip.appendMarkdown(`- created ${formatAgo(c.created)}, last active ${formatAgo(c.lastActive)}\n`);
  item.tooltip = tip;
  item.contextValue = contextValue('consumer', readOnly);
  return item;
}

export function eventTypeItem(node: Extract<ExplorerNode, { kind: 'eventType' }>): vscode.TreeItem {
  const t = node.type;
  const item = new vscode.TreeItem(`${t.aggregate} › ${t.event}`, vscode.TreeItemCollapsibleState.None);
  item.id = `eventType:${node.entryId}:${node.stream.name}:${t.aggregate}.${t.event}`;
  item.description = (t.estimated ? '≈ ' : '') + formatCount(t.messages) + (t.declared && t.messages === 0 ? ' · declared, none stored' : '');
  item.iconPath = new vscode.ThemeIcon(t.messages === 0 ? 'circle-outline' : 'symbol-event');
  item.tooltip = `${node.prefix}.${t.aggregate}.${t.event}.*: ${t.estimated ? 'about ' : ''}${formatCount(t.messages)} messages in ${node.stream.name}${t.estimated ? ' (an estimate from samples)' : ''}${t.declared ? ' (declared in a domain definition)' : ''}`;
  item.contextValue = 'eventtype';
  return item;
}

/** Plain text inside Markdown: the characters that would start emphasis, links, code or HTML. */
export function escape(s: string): string {
  return s.replace(/[\\`*_[\]<>|#]/g, '\\$&');
}

/** A code span: backslashes are not escapes there, so the text goes in as is (a backtick widens the fence). */
export function code(s: string): string {
  const fence = s.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${s}${fence.length > 1 ? ' ' : ''}${fence}`;
}
