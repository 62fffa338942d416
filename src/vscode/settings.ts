// Settings through the zod schema: a wrong value is reported once (per message) and its default used.
import * as vscode from 'vscode';
import { readSettings, type Settings } from '../core/settings';
import { log } from './log';

const reported = new Set<string>();

export function settingsFor(scope?: vscode.ConfigurationScope): Settings {
  const cfg = vscode.workspace.getConfiguration('cimNats', scope);
  const { settings, problems } = readSettings(key => cfg.get(key));
  for (const p of problems) {
    if (reported.has(p)) continue;
    reported.add(p);
    log().warn(p);
    void vscode.window.showWarningMessage(p);
  }
  return settings;
}
