// Which store or object a command acts on: the tree's node when it gave one, otherwise asked for with QuickPicks
// (the connection, then its stores and objects as the server lists them at that moment).
import * as vscode from 'vscode';
import { formatAgo, formatBytes } from '../../core/text/format';
import type { ConnectionEntry } from '../../nats/connection/manager';
import type { ObjectStoreSummary, ObjectSummary } from '../../nats/obj';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { ExplorerNode } from '../explorer/nodes';
import { pickConnection } from '../explorer/palettePick';
import { natsRuntime } from '../platform/natsRuntime';

export interface StoreTarget {
  entry: ConnectionEntry;
  store: string;
}

export interface ObjectTarget extends StoreTarget {
  name: string;
}

function asNode(arg: unknown): ExplorerNode | undefined {
  return !!arg && typeof arg === 'object' && typeof (arg as { kind?: unknown }).kind === 'string' ? (arg as ExplorerNode) : undefined;
}

function entryOf(registry: ConnectionRegistry, id: string): ConnectionEntry {
  const entry = registry.entry(id);
  if (!entry) throw new Error('That connection no longer exists: refresh the explorer.');
  return entry;
}

/** The connection a node belongs to, or the one the user picks. */
export async function connectionFor(registry: ConnectionRegistry, arg: unknown, title: string): Promise<ConnectionEntry | undefined> {
  const node = asNode(arg);
  if (node?.kind === 'connection') return entryOf(registry, node.entry.id);
  if (node && 'entryId' in node && node.entryId) return entryOf(registry, node.entryId);
  return pickConnection(registry, title);
}

/** A store node's (or an object node's) store, or one picked; `accept` narrows what is offered (e.g. not sealed). */
export async function storeFor(registry: ConnectionRegistry, arg: unknown, title: string, accept?: (s: ObjectStoreSummary) => boolean): Promise<StoreTarget | undefined> {
  const node = asNode(arg);
  if (node?.kind === 'objStore' || node?.kind === 'object') return { entry: entryOf(registry, node.entryId), store: node.store.name };
  const entry = await connectionFor(registry, arg, title);
  if (!entry) return undefined;
  const [rt, session] = await Promise.all([natsRuntime(), registry.session(entry.id)]);
  const all = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Listing the object stores of ${entry.config.name}` }, () => rt.listObjectStores(session));
  const stores = accept ? all.filter(accept) : all;
  if (stores.length === 0) {
    throw new Error(`${entry.config.name} has no object store ${all.length ? 'this can be done to' : 'yet'}: create one (CIM NATS: Create Object Store…), then run this again.`);
  }
  const pick = await vscode.window.showQuickPick(stores.map(s => ({
    label: s.name,
    description: `${formatBytes(s.bytes)}${s.sealed ? ' · sealed' : ''}`,
    detail: s.description,
    store: s,
  })), { title, placeHolder: `Object store on ${entry.config.name}`, ignoreFocusOut: true });
  return pick && { entry, store: pick.store.name };
}

/** An object node's object, or one picked from a store (given or picked). */
export async function objectFor(registry: ConnectionRegistry, arg: unknown, title: string, accept?: (o: ObjectSummary) => boolean): Promise<ObjectTarget | undefined> {
  const node = asNode(arg);
  if (node?.kind === 'object') return { entry: entryOf(registry, node.entryId), store: node.store.name, name: node.object.name };
  const target = await storeFor(registry, arg, title);
  if (!target) return undefined;
  const [rt, session] = await Promise.all([natsRuntime(), registry.session(target.entry.id)]);
  const listing = await rt.listObjects(session, target.store);
  const objects = accept ? listing.objects.filter(accept) : listing.objects;
  if (objects.length === 0) throw new Error(`Object store ${target.store} has no object ${listing.objects.length ? 'this can be done to' : 'yet'}: upload one (CIM NATS: Upload Files…).`);
  const pick = await vscode.window.showQuickPick(objects.map(o => ({
    label: o.name,
    description: o.link ? `→ ${o.link.name ?? `store ${o.link.store}`}` : `${formatBytes(o.size)} · ${formatAgo(o.modified)}`,
    object: o,
  })), { title, placeHolder: `Object in ${target.store}`, ignoreFocusOut: true });
  return pick && { ...target, name: pick.object.name };
}
