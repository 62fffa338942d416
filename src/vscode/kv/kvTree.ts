// The explorer's "Key-value buckets" group: its KV_ streams as buckets, a bucket's keys (without values) as rows, in
// pages, filtered by a key pattern, deleted keys shown only when asked. A bucket's keys are read once per state of
// its stream (last sequence and message count) and view (pattern, deleted, page): a write, ours or anyone's, changes
// that state and the catalogue's next reading shows it, so the rows follow the bucket.
import type { StreamSummary } from '../../nats/explorer';
import type { KeyListing } from '../../nats/kv';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { ExplorerNode, NodeOf } from '../explorer/nodes';
import { errorMessage } from '../platform/log';
import { natsRuntime } from '../platform/natsRuntime';

/** What the user chose to see of one bucket. */
export interface KeyView {
  pattern?: string;
  showDeleted: boolean;
  limit: number;
}

export const KEY_PAGE = 200;

export class KvRows {
  private readonly views = new Map<string, KeyView>();
  private readonly listings = new Map<string, { stamp: string; listing: Promise<KeyListing> }>();

  constructor(private readonly registry: () => ConnectionRegistry) {}

  /** The buckets of the group's streams. */
  async bucketNodes(entryId: string, streams: readonly StreamSummary[]): Promise<ExplorerNode[]> {
    const rt = await natsRuntime();
    return streams.map((stream): ExplorerNode => {
      const bucket = rt.bucketOf(stream);
      if (stream.unavailable) return { kind: 'note', entryId, message: `${bucket.name}: ${stream.unavailable}` };
      return { kind: 'kvBucket', entryId, bucket, stamp: `${stream.lastSeq}:${stream.messages}` };
    });
  }

  view(entryId: string, bucket: string): KeyView {
    return this.views.get(`${entryId}\0${bucket}`) ?? { showDeleted: false, limit: KEY_PAGE };
  }

  /** Changes what a bucket shows (a new pattern starts at the first page again). */
  setView(entryId: string, bucket: string, change: Partial<KeyView>): KeyView {
    const before = this.view(entryId, bucket);
    const next: KeyView = { ...before, ...change };
    if ('pattern' in change && change.pattern !== before.pattern) next.limit = KEY_PAGE;
    if (!next.pattern) delete next.pattern;
    this.views.set(`${entryId}\0${bucket}`, next);
    return next;
  }

  /** A bucket's keys, then notes for the filter, the deleted keys left out and the next page. */
  async keyNodes(node: NodeOf<'kvBucket'>): Promise<ExplorerNode[]> {
    const { entryId } = node;
    const bucket = node.bucket.name;
    const view = this.view(entryId, bucket);
    let listing: KeyListing;
    try {
      listing = await this.listing(node, view);
    } catch (e) {
      return [{ kind: 'error', entryId, message: errorMessage(e) }];
    }
    const rows: ExplorerNode[] = listing.keys.map(entry => ({ kind: 'kvKey', entryId, bucket, entry }));
    if (view.pattern) rows.unshift({ kind: 'note', entryId, message: `Keys matching ${view.pattern} (${listing.matching} with deleted ones)` });
    if (!listing.complete) rows.push({ kind: 'kvMore', entryId, bucket, shown: listing.keys.length, matching: listing.matching });
    if (listing.hiddenDeleted > 0) rows.push({ kind: 'note', entryId, message: `${listing.hiddenDeleted} deleted ${listing.hiddenDeleted === 1 ? 'key' : 'keys'} hidden (Show Deleted Keys)` });
    if (rows.length === 0) rows.push({ kind: 'note', entryId, message: view.pattern ? `No key matches ${view.pattern}.` : 'No keys yet (Create Key…).' });
    return rows;
  }

  private listing(node: NodeOf<'kvBucket'>, view: KeyView): Promise<KeyListing> {
    const { entryId } = node;
    const bucket = node.bucket.name;
    const key = `${entryId}\0${bucket}`;
    const stamp = `${node.stamp}:${view.pattern ?? '>'}:${view.showDeleted}:${view.limit}`;
    const held = this.listings.get(key);
    if (held && held.stamp === stamp) return held.listing;
    const listing = (async () => {
      const [rt, session] = await Promise.all([natsRuntime(), this.registry().session(entryId)]);
      return rt.listKeys(session, bucket, { ...(view.pattern ? { pattern: view.pattern } : {}), limit: view.limit, includeDeleted: view.showDeleted });
    })();
    this.listings.set(key, { stamp, listing });
    listing.catch(() => {
      if (this.listings.get(key)?.listing === listing) this.listings.delete(key);
    });
    return listing;
  }

  /** Forgets what was read for a connection (or all): the next showing reads again. */
  forget(entryId?: string): void {
    if (!entryId) this.listings.clear();
    else for (const key of [...this.listings.keys()]) if (key.startsWith(`${entryId}\0`)) this.listings.delete(key);
  }
}
