// What the explorer suites share: the extension's API, walking the real tree provider, servers with known streams.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/vscode/wiring';
import type { ExplorerNode } from '../../src/vscode/explorer/nodes';
import { eventually } from '../support/eventually';

export const EXTENSION_ID = 'cowboy-ai.cim-nats';

export async function explorerApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export interface Row {
  node: ExplorerNode;
  item: vscode.TreeItem;
  label: string;
  description: string;
}

export async function rows(api: ExtensionApi, parent?: ExplorerNode): Promise<Row[]> {
  const nodes = await api.explorer.getChildren(parent);
  return nodes.map(node => {
    const item = api.explorer.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    return { node, item, label, description: typeof item.description === 'string' ? item.description : '' };
  });
}

export async function row(api: ExtensionApi, parent: ExplorerNode | undefined, label: string | RegExp): Promise<Row> {
  const all = await rows(api, parent);
  const found = all.find(r => (typeof label === 'string' ? r.label === label : label.test(r.label)));
  assert.ok(found, `no row ${label} among: ${all.map(r => `${r.label} (${r.description})`).join(' | ')}`);
  return found;
}

/** The tooltip as a reader sees it: Markdown's backslash escapes removed. */
export function tooltipText(item: vscode.TreeItem): string {
  const raw = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
  return raw.replace(/\\(.)/g, '$1');
}

export async function setConnections(value: unknown[]): Promise<void> {
  await vscode.workspace.getConfiguration('cimNats').update('connections', value, vscode.ConfigurationTarget.Global);
}

import { seedServer } from '../support/natsSeed';

export { seedServer };

/**
 * The extension with one connection, `name`, to the fixture's server (seeded with the CIM streams and sample events
 * unless `seed` is false), listed in the tree; the connection goes before the server stops.
 */
export async function connectedTo(nats: { url: string; defer(cleanup: () => unknown): void }, name: string, seed = true): Promise<ExtensionApi> {
  const api = await explorerApi();
  nats.defer(() => setConnections([]));
  if (seed) await seedServer(nats.url);
  await setConnections([{ name, servers: [nats.url] }]);
  await eventually(`the connection ${name} in the tree`, async () => (await rows(api)).find(r => r.label === name));
  return api;
}

/** Every file under the session's log folder (the extension's log channel and the window's output are there). */
export function logText(api: ExtensionApi): string {
  const sessionLogs = path.resolve(api.logUri.fsPath, '../../..');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(sessionLogs);
  return out.join('\n');
}

/** The extension's own log lines since a mark, for a failing test's report. */
export function extensionErrors(api: ExtensionApi): string {
  return errorLines(api).slice(-5).join('\n');
}

/**
 * Call when a test begins; after it failed, the returned function gives `extensionErrors` once the log shows an error
 * line the test added (the log channel writes its file a moment later), or after 2 s without one.
 */
export function extensionErrorsFromHere(api: ExtensionApi): () => Promise<string> {
  const before = errorLines(api).length;
  return () => eventually('an error line logged by the test', () => errorLines(api).length > before, 2_000)
    .catch(() => undefined)
    .then(() => extensionErrors(api));
}

function errorLines(api: ExtensionApi): string[] {
  return logText(api).split('\n').filter(l => /\[error\]/.test(l));
}
