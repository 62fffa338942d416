// An object store's row (objects, bytes, sealed; the rest in the tooltip) and an object's row (size, modified; chunks,
// digest and headers in the tooltip; a link shows where it points).
import * as vscode from 'vscode';
import { formatAgo, formatBytes, formatCount, formatNanos } from '../../../core/text/format';
import { code, contextValue, escape } from '../../../core/text/markdown';
import type { NodeOf } from '../nodes';

function objectsText(node: NodeOf<'objStore'>): string {
  if (!node.objects) return 'objects not read';
  const n = node.objects.objects.length;
  return `${formatCount(n)}${node.objects.truncated ? '+' : ''} object${n === 1 ? '' : 's'}`;
}

export function objStoreItem(node: NodeOf<'objStore'>, readOnly: boolean): vscode.TreeItem {
  const s = node.store;
  const open = node.problem !== undefined || (node.objects?.objects.length ?? 0) > 0;
  const item = new vscode.TreeItem(s.name, open ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `objStore:${node.entryId}:${s.name}`;
  item.description = [objectsText(node), formatBytes(s.bytes), s.sealed ? 'sealed' : undefined].filter(Boolean).join(' · ');
  item.iconPath = new vscode.ThemeIcon(s.sealed ? 'lock' : 'file-binary');
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escape(s.name)}**${s.description ? ` — ${escape(s.description)}` : ''}\n\n`);
  if (node.problem) tip.appendMarkdown(`${escape(node.problem)}\n\n`);
  tip.appendMarkdown(`- ${objectsText(node)}${node.objects?.deleted ? ` (${formatCount(node.objects.deleted)} deleted, hidden)` : ''}, ${formatBytes(s.bytes)} in ${formatCount(s.messages)} messages\n`);
  tip.appendMarkdown(`- ${s.sealed ? '**sealed**: reads only, no change ever again' : 'not sealed'}\n`);
  tip.appendMarkdown(`- storage: ${s.storage} · replicas: ${s.replicas} · objects expire: ${s.maxAgeNs ? `after ${formatNanos(s.maxAgeNs)}` : 'never'} · max size: ${s.maxBytes > 0 ? formatBytes(s.maxBytes) : 'no limit'}${s.compression ? ` · compression: ${s.compression}` : ''}\n`);
  tip.appendMarkdown(`- stream ${code(s.stream)}${s.lastActivity ? `, last change ${formatAgo(s.lastActivity)}` : ''}\n`);
  for (const [k, v] of Object.entries(s.metadata ?? {})) tip.appendMarkdown(`- ${escape(k)}: ${escape(v)}\n`);
  item.tooltip = tip;
  item.contextValue = contextValue(s.sealed ? 'objstore.sealed' : 'objstore', readOnly);
  return item;
}

export function objectItem(node: NodeOf<'object'>, readOnly: boolean): vscode.TreeItem {
  const o = node.object;
  const item = new vscode.TreeItem(o.name, vscode.TreeItemCollapsibleState.None);
  item.id = `object:${node.entryId}:${node.store.name}:${o.name}`;
  const target = o.link ? (o.link.name ? `${o.link.store === node.store.name ? '' : `${o.link.store}/`}${o.link.name}` : `store ${o.link.store}`) : undefined;
  item.description = target ? `→ ${target}` : `${formatBytes(o.size)} · ${formatAgo(o.modified)}`;
  item.iconPath = new vscode.ThemeIcon(o.link ? 'link' : 'file');
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escape(o.name)}**${o.description ? ` — ${escape(o.description)}` : ''}\n\n`);
  if (target) tip.appendMarkdown(`- a link to ${escape(target)}\n`);
  else {
    tip.appendMarkdown(`- ${formatBytes(o.size)} (${formatCount(o.size)} bytes) in ${formatCount(o.chunks)} chunk${o.chunks === 1 ? '' : 's'}\n`);
    tip.appendMarkdown(`- digest ${code(o.digest || '–')}\n`);
  }
  tip.appendMarkdown(`- modified ${o.modified ? `${o.modified.toISOString()} (${formatAgo(o.modified)})` : '–'} · revision ${o.revision}\n`);
  for (const [k, values] of Object.entries(o.headers)) tip.appendMarkdown(`- header ${code(k)}: ${values.map(escape).join(', ')}\n`);
  for (const [k, v] of Object.entries(o.metadata)) tip.appendMarkdown(`- ${escape(k)}: ${escape(v)}\n`);
  item.tooltip = tip;
  item.contextValue = contextValue(node.store.sealed ? 'object.sealed' : 'object', readOnly);
  return item;
}
