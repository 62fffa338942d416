// A stream's row: its figures (messages, bytes, last activity), its layout in the tooltip, its kind in the icon.
import * as vscode from 'vscode';
import { formatAgo, formatBytes, formatCount, formatNanos } from '../../../core/text/format';
import type { StreamSummary } from '../../../nats/explorer';
import type { NodeOf } from '../nodes';
import { code, contextValue, escape } from '../../../core/text/markdown';

/** `3,412 msgs · 1.2 MB · 4 s ago` */
export function streamFigures(s: StreamSummary, now = new Date()): string {
  if (s.unavailable) return 'unavailable';
  return `${formatCount(s.messages)} msgs · ${formatBytes(s.bytes)} · ${formatAgo(s.lastActivity, now)}`;
}

export function streamItem(node: NodeOf<'stream'>, readOnly: boolean, hasChildren: boolean): vscode.TreeItem {
  const s = node.stream;
  const item = new vscode.TreeItem(s.name, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `stream:${node.entryId}:${s.name}`;
  const health = node.health ?? [];
  const near = health.some(p => p.kind === 'nearLimit');
  item.description = `${streamFigures(s)}${near ? ' · near limits' : ''}`;
  item.iconPath = s.unavailable || health.length > 0
    ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
    : new vscode.ThemeIcon(s.kind === 'kv' ? 'symbol-key' : s.kind === 'object' ? 'file-binary' : 'database');
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escape(s.name)}**${s.description ? ` — ${escape(s.description)}` : ''}\n\n`);
  if (s.unavailable) tip.appendMarkdown(`${escape(s.unavailable)}\n\n`);
  for (const p of health) if (p.kind !== 'noLeader') tip.appendMarkdown(`⚠ ${escape(p.sentence)}\n\n`);
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
