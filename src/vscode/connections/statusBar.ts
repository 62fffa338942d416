// The active connection and its state in the status bar; a click opens the quick switcher.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from './connectionRegistry';
import { COMMANDS } from '../platform/commandIds';

export const SWITCH_CONNECTION = COMMANDS.connectionSwitch;

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cimNats.connection', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly registry: ConnectionRegistry) {
    this.item.name = 'CIM NATS connection';
    this.item.command = SWITCH_CONNECTION;
    this.disposables.push(registry.onDidChangeEntries(() => this.update()), registry.onDidChangeState(() => this.update()));
    this.update();
  }

  /** What the item says now (also read by the in-host tests). */
  get text(): string {
    return this.item.text;
  }

  update(): void {
    const id = this.registry.activeId();
    const entry = id ? this.registry.entry(id) : undefined;
    if (!entry) {
      this.item.hide();
      return;
    }
    const state = this.registry.state(entry.id);
    const [icon, what] = (() => {
      switch (state.kind) {
        case 'connected': return ['$(plug)', 'connected'];
        case 'connecting': return ['$(loading~spin)', 'connecting'];
        case 'reconnecting': return ['$(debug-disconnect)', `reconnecting${state.attempt ? ` (attempt ${state.attempt})` : ''}`];
        case 'failed': return ['$(error)', 'failed'];
        case 'idle': return ['$(debug-disconnect)', 'disconnected'];
      }
    })();
    this.item.text = `${icon} NATS: ${entry.config.name} (${what})`;
    this.item.tooltip = `${entry.config.name}: ${what}${state.kind === 'failed' ? ` — ${state.reason}` : ''}\nClick to switch connection`;
    this.item.backgroundColor = state.kind === 'reconnecting' || state.kind === 'failed' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
