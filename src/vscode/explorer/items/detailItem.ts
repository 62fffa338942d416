// One fact about the server (a label and its value) under the Server row.
import * as vscode from 'vscode';
import type { NodeOf } from '../nodes';

export function detailItem(node: NodeOf<'detail'>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.description = node.description;
  item.tooltip = node.tooltip ?? (node.description ? `${node.label}: ${node.description}` : node.label);
  if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
  item.contextValue = 'detail';
  return item;
}
