// One aggregate › event of a domain stream with its message count (≈ when estimated, "declared, none stored" when 0).
import * as vscode from 'vscode';
import { formatCount } from '../../../core/text/format';
import type { NodeOf } from '../nodes';

export function eventTypeItem(node: NodeOf<'eventType'>): vscode.TreeItem {
  const t = node.type;
  const item = new vscode.TreeItem(`${t.aggregate} › ${t.event}`, vscode.TreeItemCollapsibleState.None);
  item.id = `eventType:${node.entryId}:${node.stream.name}:${t.aggregate}.${t.event}`;
  item.description = (t.estimated ? '≈ ' : '') + formatCount(t.messages) + (t.declared && t.messages === 0 ? ' · declared, none stored' : '');
  item.iconPath = new vscode.ThemeIcon(t.messages === 0 ? 'circle-outline' : 'symbol-event');
  item.tooltip = `${node.prefix}.${t.aggregate}.${t.event}.*: ${t.estimated ? 'about ' : ''}${formatCount(t.messages)} messages in ${node.stream.name}${t.estimated ? ' (an estimate from samples)' : ''}${t.declared ? ' (declared in a domain definition)' : ''}`;
  item.contextValue = 'eventtype';
  return item;
}
