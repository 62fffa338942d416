// One LogOutputChannel for the extension; secrets never reach it (callers log messages, not credentials).
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('CIM NATS', { log: true });
  return channel;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
