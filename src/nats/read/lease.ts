// The one place a read makes consumers on the server: the reader's, an export's and a tail's ordered consumers and the
// counting consumers of counts, each named as this editor's, dropped by the server when forgotten, and deleted when
// the work ends (also on failure and cancel), the client's own re-creations of an ordered consumer swept with them.
import { randomBytes } from 'node:crypto';
import { JetStreamApiError, type Consumer, type ConsumerConfig, type ConsumerInfo, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** What a lease is for: `read` (views, exports, searches), `tail` (a tail from a stream), `count` (counting consumers). */
export type LeaseKind = 'read' | 'tail' | 'count';

/** What a lease needs of a session (a `NatsSession` is one). */
export interface LeaseApi {
  readonly nc: NatsConnection;
  jetstream(): JetStreamClient;
  jetstreamManager(): Promise<JetStreamManager>;
}

export interface LeaseOptions {
  /** The server drops a consumer idle this long, should its delete be lost (defaults: read and count 10 s, tail 30 s). */
  inactiveThresholdMs?: number;
  /**
   * `recreated` (default): look for leftovers by name only after the client re-created an ordered consumer;
   * `always`: list the stream's consumers at every close (a tail: it lives long, its end is rare).
   */
  sweep?: 'recreated' | 'always';
}

/** An ordered consumer of the lease, with its name and what it had pending when created. */
export interface LeasedConsumer {
  consumer: Consumer;
  name: string;
  pending: number;
}

export type OrderedStart = { opt_start_seq: number } | { opt_start_time: string };

const DEFAULT_INACTIVE_MS: Record<LeaseKind, number> = { read: 10_000, tail: 30_000, count: 10_000 };

/**
 * This editor's consumers: `cim_nats_<kind>_<12 hex>` and the numbers the lease and the client append; the set-up
 * test's interest holder (`cim_nats_smoke_…`); the names earlier versions gave (`cim_nats_export_…`,
 * `cim-nats-count-…`). A user's durable is never named like that.
 */
const EDITOR_CONSUMER = /^cim([_-])nats\1(read|tail|count|export|smoke)\1[0-9a-f]{12}(_\d+)*$/;

/** Whether a consumer is one this editor made for itself (a read, an export, a tail, a count), not the user's. */
export function isEditorConsumer(name: string): boolean {
  return EDITOR_CONSUMER.test(name);
}

/** The one consumer lease: every consumer it makes is gone once `close()` resolves. */
export class ConsumerLease {
  /** Every name this lease makes starts with it. */
  readonly prefix: string;
  private readonly inactiveMs: number;
  private readonly sweep: 'recreated' | 'always';
  private created = 0;
  /** Ordered consumers held, with the name each had when created. */
  private readonly held = new Map<Consumer, string>();
  /** Creations and deletes under way: `close()` waits for them. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** The client re-created an ordered consumer under a new name: its old one may be left. */
  private recreated = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly api: LeaseApi,
    readonly stream: string,
    kind: LeaseKind,
    options: LeaseOptions = {},
  ) {
    this.prefix = `cim_nats_${kind}_${randomBytes(6).toString('hex')}`;
    this.inactiveMs = options.inactiveThresholdMs ?? DEFAULT_INACTIVE_MS[kind];
    this.sweep = options.sweep ?? 'recreated';
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  /**
   * An ordered consumer on the stream from `start`, filtered on `filter` when given. Not raced against a signal: its
   * name must be known to delete it. A lease that closes meanwhile deletes it too.
   */
  async ordered(start: OrderedStart, filter?: string): Promise<LeasedConsumer> {
    this.checkOpen();
    const namePrefix = `${this.prefix}_${++this.created}`;
    const creating = this.api.jetstream().consumers.get(this.stream, {
      name_prefix: namePrefix,
      inactive_threshold: this.inactiveMs,
      ...(filter ? { filter_subjects: filter } : {}),
      ...start,
    });
    const made = creating.then(async consumer => {
      // `info(true)` is the client's copy of the create reply: no request.
      const info = await consumer.info(true);
      this.held.set(consumer, info.name);
      return { consumer, name: info.name, pending: info.num_pending };
    }, (e: unknown) => {
      // The reply may be lost after the server created it (the client names its first one `<prefix>_1`).
      if (!(e instanceof JetStreamApiError)) this.deleteByName(`${namePrefix}_1`);
      throw e;
    });
    return this.track(made);
  }

  /**
   * A consumer that lives for one request, for its `num_pending` (a count): created with `config` under this lease's
   * name, deleted at once. `removed` settles when the delete has; `close()` waits for it too.
   */
  async probe(config: Partial<ConsumerConfig>): Promise<{ info: ConsumerInfo; removed: Promise<void> }> {
    this.checkOpen();
    const name = `${this.prefix}_${++this.created}`;
    const jsm = await this.api.jetstreamManager();
    let info: ConsumerInfo;
    try {
      info = await this.track(jsm.consumers.add(this.stream, { ...config, name, inactive_threshold: this.inactiveMs * 1_000_000, mem_storage: true }));
    } catch (e) {
      if (!(e instanceof JetStreamApiError)) this.deleteByName(name);
      throw e;
    }
    return { info, removed: this.deleteByName(name) };
  }

  /** The client re-created an ordered consumer (a tail's status said so): `close()` sweeps by name. */
  noteRecreated(): void {
    this.recreated = true;
  }

  /** Deletes one ordered consumer of the lease now (and notes whether the client re-created it meanwhile). */
  async release(consumer: Consumer): Promise<void> {
    const name = this.held.get(consumer);
    this.held.delete(consumer);
    const current = (await consumer.info(true).catch(() => undefined))?.name;
    if (name !== undefined && current !== name) this.recreated = true;
    await this.track(consumer.delete().catch(() => undefined));
  }

  /**
   * Deletes every consumer of the lease, waiting for creations under way, then (after a re-creation, or always for a
   * tail) every consumer of the stream named with the lease's prefix. `serverGone`: forget them instead (a delete
   * could only time out; the server drops them after the inactive threshold). Idempotent; never rejects.
   */
  close(options: { serverGone?: boolean } = {}): Promise<void> {
    this.closing ??= this.closeNow(options.serverGone === true || this.api.nc.isClosed());
    return this.closing;
  }

  private async closeNow(serverGone: boolean): Promise<void> {
    await this.settle();
    if (serverGone) {
      this.held.clear();
      return;
    }
    await Promise.all([...this.held.keys()].map(c => this.release(c)));
    await this.settle();
    if (!this.recreated && this.sweep !== 'always') return;
    try {
      const jsm = await this.api.jetstreamManager();
      const left: string[] = [];
      for await (const ci of jsm.consumers.list(this.stream)) if (ci.name.startsWith(`${this.prefix}_`)) left.push(ci.name);
      await Promise.all(left.map(name => jsm.consumers.delete(this.stream, name).catch(() => undefined)));
    } catch {
      // A stream deleted meanwhile took its consumers with it; otherwise the inactive threshold removes what is left.
    }
  }

  private checkOpen(): void {
    if (this.closing) throw new Error(`The consumer lease on ${this.stream} is closed: no consumer is made after its work ended.`);
  }

  private deleteByName(name: string): Promise<void> {
    const deleting = this.api.jetstreamManager().then(jsm => jsm.consumers.delete(this.stream, name)).then(() => undefined, () => undefined);
    return this.track(deleting);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }

  private async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
