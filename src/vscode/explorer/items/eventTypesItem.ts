// A domain stream's "Event types" row: its aggregates and events, counted when expanded.
import * as vscode from 'vscode';
import type { NodeOf } from '../nodes';

export function eventTypesItem(node: NodeOf<'eventTypes'>): vscode.TreeItem {
  const item = new vscode.TreeItem('Event types', vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `eventTypes:${node.entryId}:${node.stream.name}`;
  item.description = `${node.prefix}.‹aggregate›.‹event›`;
  item.iconPath = new vscode.ThemeIcon('symbol-event');
  item.tooltip = 'The stream\'s aggregates and events as the algebra reads its subjects, counted when expanded.';
  item.contextValue = 'eventtypes';
  return item;
}
