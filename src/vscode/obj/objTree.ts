// The explorer's "Object stores" group: its OBJ_ streams as stores, a store's objects as rows. A store's objects are
// read once per state of its stream (its last sequence and message count): a put, a delete or a purge changes that
// state and the catalogue's next reading shows it, so the rows follow without a read of every store on every tick.
import type { StreamSummary } from '../../nats/explorer';
import type { ObjectListing } from '../../nats/obj';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { ExplorerNode, NodeOf } from '../explorer/nodes';
import { errorMessage } from '../platform/log';
import { natsRuntime } from '../platform/natsRuntime';

const LISTINGS_AT_ONCE = 4;

export class ObjectStoreRows {
  /** Per connection and store: the stream state read at, and its listing. */
  private readonly listings = new Map<string, { state: string; listing: Promise<ObjectListing> }>();

  constructor(private readonly registry: () => ConnectionRegistry) {}

  /** The stores of the group's streams, each with its objects read (or the reason they could not be). */
  async storeNodes(entryId: string, streams: readonly StreamSummary[]): Promise<ExplorerNode[]> {
    const rt = await natsRuntime();
    const row = async (stream: StreamSummary): Promise<ExplorerNode> => {
      if (stream.unavailable) return { kind: 'note', entryId, message: `${rt.objectStoreOf(stream).name}: ${stream.unavailable}` };
      const store = rt.objectStoreOf(stream);
      try {
        return { kind: 'objStore', entryId, store, objects: await this.listing(entryId, stream) };
      } catch (e) {
        return { kind: 'objStore', entryId, store, problem: errorMessage(e) };
      }
    };
    // a few stores read at once: each reading is a consumer on the server
    const out: ExplorerNode[] = [];
    for (let i = 0; i < streams.length; i += LISTINGS_AT_ONCE) out.push(...(await Promise.all(streams.slice(i, i + LISTINGS_AT_ONCE).map(row))));
    return out;
  }

  /** A store's objects (by name), then a note for what is hidden or left out. */
  objectNodes(node: NodeOf<'objStore'>): ExplorerNode[] {
    const { entryId, store } = node;
    if (node.problem) return [{ kind: 'error', entryId, message: node.problem }];
    const listing = node.objects;
    if (!listing) return [];
    const rows: ExplorerNode[] = listing.objects.map(object => ({ kind: 'object', entryId, store, object }));
    if (listing.truncated) rows.push({ kind: 'note', entryId, message: `Only the first ${listing.objects.length} objects are listed.` });
    return rows;
  }

  private listing(entryId: string, stream: StreamSummary): Promise<ObjectListing> {
    const key = `${entryId}\0${stream.name}`;
    const state = `${stream.lastSeq}:${stream.messages}:${stream.bytes}`;
    const held = this.listings.get(key);
    if (held && held.state === state) return held.listing;
    const listing = (async () => {
      const [rt, session] = await Promise.all([natsRuntime(), this.registry().session(entryId)]);
      return rt.listObjects(session, rt.objectStoreOf(stream).name);
    })();
    this.listings.set(key, { state, listing });
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
