// A consumer's row: pending, unacknowledged and redelivered counts, a warning icon when it lags or stalls.
import * as vscode from 'vscode';
import { formatAgo, formatCount } from '../../../core/text/format';
import type { NodeOf } from '../nodes';
import { code, contextValue, escape } from '../../../core/text/markdown';

export function consumerItem(node: NodeOf<'consumer'>, readOnly: boolean): vscode.TreeItem {
  const c = node.consumer;
  const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
  item.id = `consumer:${node.entryId}:${c.stream}:${c.name}`;
  const health = node.health ?? [];
  const state = health.some(p => p.kind === 'stalled') ? ' · stalled' : health.some(p => p.kind === 'behind') ? ' · falling behind' : '';
  item.description = `${formatCount(c.pending)} pending · ${formatCount(c.ackPending)} ack pending · ${formatCount(c.redelivered)} redelivered${c.paused ? ' · paused' : ''}${state}`;
  item.iconPath = node.warning || health.length > 0
    ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
    : new vscode.ThemeIcon(c.durable ? 'inbox' : 'eye');
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escape(c.name)}** on ${escape(c.stream)} (${c.durable ? 'durable' : 'ephemeral'})\n\n`);
  if (node.warning) tip.appendMarkdown(`⚠ ${escape(node.warning)}\n\n`);
  for (const p of health) tip.appendMarkdown(`⚠ ${escape(p.sentence)}\n\n`);
  tip.appendMarkdown(`- filter: ${c.filterSubjects.map(code).join(', ') || 'the whole stream'}\n`);
  tip.appendMarkdown(`- delivered up to seq ${c.delivered}, acked up to ${c.ackFloor}, ${formatCount(c.waiting)} waiting pulls\n`);
  tip.appendMarkdown(`- created ${formatAgo(c.created)}, last active ${formatAgo(c.lastActive)}\n`);
  item.tooltip = tip;
  item.contextValue = contextValue('consumer', readOnly);
  return item;
}
