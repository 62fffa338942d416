// The Server row of a connection, and the detail rows under it: version, cluster, limits, the account's usage, permissions.
import * as vscode from 'vscode';
import { formatBytes, formatCount, formatUsage } from '../../../core/text/format';
import type { ExplorerNode, NodeOf } from '../nodes';

export function serverItem(node: NodeOf<'server'>): vscode.TreeItem {
  const item = new vscode.TreeItem('Server', vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `server:${node.entryId}`;
  item.iconPath = new vscode.ThemeIcon('server');
  item.contextValue = 'server';
  const o = node.overview;
  // a server without server_name calls itself by its 56-character id: not worth a row's width
  item.description = o ? (o.serverName && o.serverName !== o.serverId ? `${o.serverName} · nats-server ${o.version}` : `nats-server ${o.version}`) : 'unavailable';
  return item;
}

/** The rows under the Server row, from the overview read with the connection's children. */
export function serverDetails(node: NodeOf<'server'>): ExplorerNode[] {
  const { entryId, overview: o } = node;
  if (!o) return [{ kind: 'error', entryId, message: node.problem ?? 'The server did not describe itself.' }];
  const row = (label: string, description: string | undefined, icon?: string, tooltip?: string): ExplorerNode =>
    ({ kind: 'detail', entryId, label, description: description ?? '–', ...(icon ? { icon } : {}), ...(tooltip ? { tooltip } : {}) });
  const rows: ExplorerNode[] = [
    row('Name', o.serverName, 'server', `server id ${o.serverId}`),
    row('Version', `nats-server ${o.version}`, 'versions'),
  ];
  if (o.cluster) rows.push(row('Cluster', `${o.cluster.name} · ${o.cluster.urls.length} peers`, 'type-hierarchy', o.cluster.urls.join('\n')));
  rows.push(row('Max payload', formatBytes(o.maxPayload), 'package'));
  rows.push(row('JetStream domain', o.jetStreamDomain ?? 'none', 'globe'));
  if (o.account) {
    const a = o.account;
    rows.push(row('Storage', formatUsage(a.storage, a.limits.maxStorage), 'database'));
    rows.push(row('Memory', formatUsage(a.memory, a.limits.maxMemory), 'chip'));
    rows.push(row('Streams', formatUsage(a.streams, a.limits.maxStreams, formatCount), 'list-tree'));
    rows.push(row('Consumers', formatUsage(a.consumers, a.limits.maxConsumers, formatCount), 'inbox'));
    rows.push(row('API calls', `${formatCount(a.api.total)} (${formatCount(a.api.errors)} errors)`, 'pulse'));
  } else if (o.jetStreamProblem) {
    rows.push({ kind: 'error', entryId, message: o.jetStreamProblem });
  }
  if (o.permissions) {
    const p = o.permissions;
    rows.push(row('User', `${p.user} (account ${p.account})`, 'account'));
    const list = (l?: string[]) => (l?.length ? l.join(', ') : undefined);
    rows.push(row('May publish', list(p.publish?.allow) ?? (p.publish?.deny ? 'all but the denied' : 'everything'), 'arrow-up', p.publish?.deny ? `denied: ${p.publish.deny.join(', ')}` : undefined));
    if (p.publish?.deny?.length) rows.push(row('May not publish', list(p.publish.deny), 'circle-slash'));
    rows.push(row('May subscribe', list(p.subscribe?.allow) ?? (p.subscribe?.deny ? 'all but the denied' : 'everything'), 'arrow-down'));
    if (p.subscribe?.deny?.length) rows.push(row('May not subscribe', list(p.subscribe.deny), 'circle-slash'));
    if (p.expires) rows.push(row('Credentials expire', p.expires, 'clock'));
  } else if (o.permissionsNote) {
    rows.push({ kind: 'note', entryId, message: o.permissionsNote });
  }
  return rows;
}
