// Rows that say something instead of showing server data: an error (a failed load, with its reason) or a note.
import * as vscode from 'vscode';
import type { NodeOf } from '../nodes';

export function errorItem(node: NodeOf<'error'>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
  item.tooltip = node.message;
  item.contextValue = 'error';
  return item;
}

export function noteItem(node: NodeOf<'note'>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
  item.iconPath = new vscode.ThemeIcon('info');
  item.tooltip = node.message;
  item.contextValue = 'note';
  return item;
}
