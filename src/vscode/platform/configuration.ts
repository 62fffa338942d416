// The one owner of the extension's settings: reads them through the zod schema (a wrong value is reported once, its
// default used) and holds the one configuration listener, which says which settings changed.
import * as vscode from 'vscode';
import { SettingsSchema, readSettings, type SettingKey, type Settings } from '../../core/settings';
import { log } from './log';

const SECTION = 'cimNats';
const KEYS = Object.keys(SettingsSchema.shape) as SettingKey[];

/** Which settings one change touched. */
export interface SettingsChange {
  readonly keys: readonly SettingKey[];
  /** True when a touched setting is `prefix` or lies under it (`affects('tail')` for `tail.maxLines`). */
  affects(prefix: string): boolean;
}

class Configuration implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SettingsChange>();
  readonly onDidChange = this.emitter.event;
  private readonly reported = new Set<string>();
  private readonly listener = vscode.workspace.onDidChangeConfiguration(e => {
    if (!e.affectsConfiguration(SECTION)) return;
    const keys = KEYS.filter(k => e.affectsConfiguration(`${SECTION}.${k}`));
    if (keys.length) this.emitter.fire({ keys, affects: prefix => prefix === '' || keys.some(k => k === prefix || k.startsWith(`${prefix}.`)) });
  });

  settings(scope?: vscode.ConfigurationScope): Settings {
    const cfg = vscode.workspace.getConfiguration(SECTION, scope);
    const { settings, problems } = readSettings(key => cfg.get(key));
    for (const p of problems) {
      if (this.reported.has(p)) continue;
      this.reported.add(p);
      log().warn(p);
      void vscode.window.showWarningMessage(p);
    }
    return settings;
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}

let instance: Configuration | undefined;

/** The extension's configuration (created on first use; activate() disposes it with the extension). */
export function configuration(): Configuration {
  instance ??= new Configuration();
  return instance;
}

/**
 * Calls `listener` when a setting under one of `prefixes` changes (`'subjects.languages'`, `'coverage'`); one
 * listener of VS Code's serves them all.
 */
export function onSettingsChange(prefixes: readonly string[], listener: (change: SettingsChange) => void): vscode.Disposable {
  return configuration().onDidChange(change => {
    if (prefixes.some(p => change.affects(p))) listener(change);
  });
}

/** The settings for a scope (a document's folder), through the schema. */
export function settingsFor(scope?: vscode.ConfigurationScope): Settings {
  return configuration().settings(scope);
}

/** For deactivate(): a later activation in the same host starts afresh. */
export function disposeConfiguration(): void {
  instance?.dispose();
  instance = undefined;
}
