// A category of streams (the algebra's domain events, commands…, other streams, KV buckets, object stores).
import * as vscode from 'vscode';
import type { NodeOf } from '../nodes';

export function groupItem(node: NodeOf<'group'>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.title, node.streams.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `group:${node.entryId}:${JSON.stringify(node.key)}`;
  const noun = node.key.kind === 'object' ? 'store' : node.key.kind === 'kv' ? 'bucket' : 'stream';
  item.description = `${node.streams.length} ${noun}${node.streams.length === 1 ? '' : 's'}`;
  item.iconPath = new vscode.ThemeIcon(node.key.kind === 'kv' ? 'symbol-key' : node.key.kind === 'object' ? 'file-binary' : 'folder');
  // the object stores' group offers Create Object Store, the buckets' Create Bucket
  item.contextValue = node.key.kind === 'object' ? 'group.object' : node.key.kind === 'kv' ? 'group.kv' : 'group';
  return item;
}
