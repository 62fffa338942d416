// A key-value bucket's row (keys, bytes, history depth, TTL, replicas; the rest in the tooltip), a key's row
// (revision, age, size; deleted keys marked) and the "load more" row under a bucket's first page of keys.
import * as vscode from 'vscode';
import { formatAgo, formatBytes, formatCount } from '../../../core/text/format';
import { contextValue, escape } from '../../../core/text/markdown';
import type { BucketSummary } from '../../../nats/kv';
import type { NodeOf } from '../nodes';
import { COMMANDS } from '../../platform/commandIds';

/** `30s`, `2h`, `1d`; 0 = `none`. */
export function formatMs(ms: number): string {
  if (!ms) return 'none';
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** `12 keys · 3.4 KiB · history 5 · TTL 1h · R1` */
export function bucketFigures(b: BucketSummary): string {
  return `${formatCount(b.keys)} ${b.keys === 1 ? 'key' : 'keys'} · ${formatBytes(b.bytes)} · history ${b.history} · TTL ${formatMs(b.ttlMs)} · R${b.replicas}`;
}

export function kvBucketItem(node: NodeOf<'kvBucket'>, readOnly: boolean): vscode.TreeItem {
  const b = node.bucket;
  const item = new vscode.TreeItem(b.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `kvBucket:${node.entryId}:${b.name}`;
  item.description = bucketFigures(b);
  item.iconPath = new vscode.ThemeIcon('symbol-key');
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escape(b.name)}** (stream ${escape(b.stream)})${b.description ? ` — ${escape(b.description)}` : ''}\n\n`);
  tip.appendMarkdown(`- ${formatCount(b.keys)} keys (deleted ones count until purged), ${formatCount(b.values)} revisions, ${formatBytes(b.bytes)}\n`);
  tip.appendMarkdown(`- history: ${b.history} revisions per key · TTL: ${formatMs(b.ttlMs)}\n`);
  tip.appendMarkdown(`- max value size: ${b.maxValueSize < 0 ? 'the server\'s max payload' : formatBytes(b.maxValueSize)} · max bytes: ${b.maxBytes < 0 ? 'unlimited' : formatBytes(b.maxBytes)}\n`);
  tip.appendMarkdown(`- storage: ${b.storage} · replicas: ${b.replicas} · compression: ${b.compression ? 'S2' : 'none'}${b.markerTtlMs ? ` · delete markers live ${formatMs(b.markerTtlMs)}` : ''}\n`);
  if (b.mirror) tip.appendMarkdown(`- mirrors ${escape(b.mirror)}\n`);
  tip.appendMarkdown(`- last change ${formatAgo(b.lastActivity)}\n`);
  item.tooltip = tip;
  item.contextValue = contextValue('kvbucket', readOnly);
  return item;
}

export function kvKeyItem(node: NodeOf<'kvKey'>, readOnly: boolean): vscode.TreeItem {
  const e = node.entry;
  const live = e.operation === 'PUT';
  const item = new vscode.TreeItem(e.key, vscode.TreeItemCollapsibleState.None);
  item.id = `kvKey:${node.entryId}:${node.bucket}:${e.key}`;
  item.description = `${live ? '' : e.operation === 'DEL' ? 'deleted · ' : 'purged · '}rev ${e.revision} · ${formatAgo(e.created)}${live ? ` · ${formatBytes(e.size)}` : ''}`;
  item.iconPath = new vscode.ThemeIcon(live ? 'key' : 'trash');
  item.tooltip = `${e.key} in bucket ${node.bucket}: revision ${e.revision}, ${live ? `${formatBytes(e.size)}, written` : e.operation === 'DEL' ? 'deleted' : 'purged'} ${e.created.toISOString()}`;
  item.contextValue = contextValue(live ? 'kvkey' : 'kvkey.deleted', readOnly);
  if (live) item.command = { command: COMMANDS.kvOpenKey, title: 'Open Value', arguments: [node] };
  return item;
}

export function kvMoreItem(node: NodeOf<'kvMore'>): vscode.TreeItem {
  const item = new vscode.TreeItem('Load more keys…', vscode.TreeItemCollapsibleState.None);
  item.id = `kvMore:${node.entryId}:${node.bucket}`;
  item.description = `${formatCount(node.shown)} of ${formatCount(node.matching)} shown`;
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.contextValue = 'kvmore';
  item.command = { command: COMMANDS.kvLoadMore, title: 'Load More Keys', arguments: [node] };
  return item;
}
