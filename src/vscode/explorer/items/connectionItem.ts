// A connection's row: its name, state and flags, where it points and how it authenticates.
import * as vscode from 'vscode';
import type { ConnectionEntry, ConnectionState } from '../../../nats/connection/manager';
import { code, contextValue, escape } from '../../../core/text/markdown';

export function connectionItem(entry: ConnectionEntry, state: ConnectionState, active: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(entry.config.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `connection:${entry.id}`;
  const flags = [entry.origin === 'environment' ? 'from NATS_URL' : undefined, entry.config.protected ? 'protected' : undefined, entry.config.readOnly ? 'read-only' : undefined].filter(Boolean);
  item.description = [stateText(state), ...flags].join(' · ');
  item.iconPath = stateIcon(state);
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escape(entry.config.name)}**${active ? ' (active)' : ''}\n\n`);
  tip.appendMarkdown(`- servers: ${entry.config.servers.map(s => code(s.replace(/^([a-z]+:\/\/)?[^@/]*@/i, '$1'))).join(', ')}\n`);
  tip.appendMarkdown(`- auth: ${entry.config.auth}${entry.config.user ? ` (${escape(entry.config.user)})` : ''}\n`);
  if (entry.config.jetStreamDomain) tip.appendMarkdown(`- JetStream domain: ${code(entry.config.jetStreamDomain)}\n`);
  if (entry.config.environment) tip.appendMarkdown(`- environment: ${code(entry.config.environment)}\n`);
  if (state.kind === 'failed') tip.appendMarkdown(`\n${escape(state.reason)}`);
  item.tooltip = tip;
  const live = state.kind === 'connected' || state.kind === 'reconnecting';
  item.contextValue = `${contextValue('connection', entry.config.readOnly)}.${live ? 'online' : 'offline'}.${entry.origin}`;
  return item;
}

export function stateText(state: ConnectionState): string {
  switch (state.kind) {
    case 'idle': return 'disconnected';
    case 'connecting': return 'connecting…';
    case 'connected': return 'connected';
    case 'reconnecting': return state.attempt > 0 ? `offline, reconnecting (attempt ${state.attempt})` : 'offline, reconnecting';
    case 'failed': return 'failed';
  }
}

function stateIcon(state: ConnectionState): vscode.ThemeIcon {
  switch (state.kind) {
    case 'connected': return new vscode.ThemeIcon('plug', new vscode.ThemeColor('testing.iconPassed'));
    case 'connecting': return new vscode.ThemeIcon('loading~spin');
    case 'reconnecting': return new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'failed': return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case 'idle': return new vscode.ThemeIcon('debug-disconnect');
  }
}
