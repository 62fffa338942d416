// A key-value command run from the palette gets no node: this asks for the connection, the bucket and the key (read
// from the server at that moment) with QuickPicks; from the tree, the row it was run on says which.
import * as vscode from 'vscode';
import { formatAgo, formatBytes } from '../../core/text/format';
import type { ConnectionEntry } from '../../nats/connection/manager';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { ExplorerNode } from '../explorer/nodes';
import { pickConnection } from '../explorer/palettePick';
import { natsRuntime } from '../platform/natsRuntime';
import { bucketFigures } from '../explorer/items/kvItems';

export interface BucketTarget {
  entry: ConnectionEntry;
  bucket: string;
}

export interface KeyTarget extends BucketTarget {
  key: string;
  /** The revision the row showed (a confirmation reads the server again). */
  revision?: number;
}

function isNode(arg: unknown): arg is ExplorerNode {
  return !!arg && typeof arg === 'object' && typeof (arg as { kind?: unknown }).kind === 'string';
}

/** The connection a node belongs to, or the one the user picks. */
export async function connectionOf(registry: ConnectionRegistry, arg: unknown, title: string): Promise<ConnectionEntry | undefined> {
  const node = isNode(arg) ? arg : undefined;
  const id = node?.kind === 'connection' ? node.entry.id : node && 'entryId' in node ? node.entryId : undefined;
  if (id) {
    const entry = registry.entry(id);
    if (!entry) throw new Error('That connection no longer exists: refresh the explorer.');
    return entry;
  }
  return pickConnection(registry, title);
}

/** The bucket of a bucket, key or "load more" row; otherwise asked for. */
export async function bucketTarget(registry: ConnectionRegistry, arg: unknown, title: string): Promise<BucketTarget | undefined> {
  const node = isNode(arg) ? arg : undefined;
  const entry = await connectionOf(registry, arg, title);
  if (!entry) return undefined;
  if (node?.kind === 'kvBucket') return { entry, bucket: node.bucket.name };
  if (node?.kind === 'kvKey' || node?.kind === 'kvMore') return { entry, bucket: node.bucket };
  const [rt, session] = await Promise.all([natsRuntime(), registry.session(entry.id)]);
  const buckets = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Listing the buckets of ${entry.config.name}` }, () => rt.listBuckets(session));
  if (buckets.length === 0) throw new Error(`${entry.config.name} has no key-value bucket yet: create one (CIM NATS: Create Key-Value Bucket…), then run this again.`);
  const pick = await vscode.window.showQuickPick(buckets.map(b => ({ label: b.name, description: bucketFigures(b), bucket: b.name })), { title, placeHolder: 'Bucket', ignoreFocusOut: true });
  return pick && { entry, bucket: pick.bucket };
}

/** The key of a key row; otherwise the bucket, then the key, asked for. */
export async function keyTarget(registry: ConnectionRegistry, arg: unknown, title: string, options: { includeDeleted?: boolean } = {}): Promise<KeyTarget | undefined> {
  const node = isNode(arg) ? arg : undefined;
  if (node?.kind === 'kvKey') {
    const entry = await connectionOf(registry, arg, title);
    return entry && { entry, bucket: node.bucket, key: node.entry.key, revision: node.entry.revision };
  }
  const target = await bucketTarget(registry, arg, title);
  if (!target) return undefined;
  const [rt, session] = await Promise.all([natsRuntime(), registry.session(target.entry.id)]);
  const listing = await rt.listKeys(session, target.bucket, { limit: 1000, includeDeleted: !!options.includeDeleted });
  if (listing.keys.length === 0) throw new Error(`Bucket ${target.bucket} has no ${options.includeDeleted ? '' : 'live '}key: create one (Create Key…) first.`);
  const items = listing.keys.map(k => ({
    label: k.key,
    description: `${k.operation === 'PUT' ? '' : `${k.operation === 'DEL' ? 'deleted' : 'purged'} · `}rev ${k.revision} · ${formatAgo(k.created)} · ${formatBytes(k.size)}`,
    key: k,
  }));
  const pick = await vscode.window.showQuickPick(items, { title: listing.complete ? title : `${title} (the first ${listing.keys.length} keys)`, placeHolder: 'Key', ignoreFocusOut: true, matchOnDescription: false });
  return pick && { ...target, key: pick.key.key, revision: pick.key.revision };
}

