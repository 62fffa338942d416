// The explorer's nodes as data: what each row stands for. How each kind looks is in items/, one file per kind.
import type { CategorySpec } from '../../core/algebra/schema';
import type { HealthProblem } from '../../core/metrics/history';
import type { GroupKey } from '../../core/explorer/streamGroups';
import type { ConnectionEntry } from '../../nats/connection/manager';
import type { ConsumerSummary, EventTypeCount, ServerOverview, StreamSummary } from '../../nats/explorer';
import type { ObjectListing, ObjectStoreSummary, ObjectSummary } from '../../nats/obj';
import type { BucketSummary, KvValue } from '../../nats/kv';

export type ExplorerNode =
  | { kind: 'connection'; entry: ConnectionEntry }
  | { kind: 'server'; entryId: string; overview?: ServerOverview; problem?: string }
  | { kind: 'detail'; entryId: string; label: string; description?: string; tooltip?: string; icon?: string }
  | { kind: 'group'; entryId: string; key: GroupKey; title: string; streams: StreamSummary[] }
  | { kind: 'stream'; entryId: string; stream: StreamSummary; category?: CategorySpec; health?: HealthProblem[] }
  | { kind: 'eventTypes'; entryId: string; stream: StreamSummary; prefix: string; domain?: string }
  | { kind: 'eventType'; entryId: string; stream: StreamSummary; prefix: string; type: EventTypeCount }
  | { kind: 'consumer'; entryId: string; consumer: ConsumerSummary; warning?: string; health?: HealthProblem[] }
  | { kind: 'objStore'; entryId: string; store: ObjectStoreSummary; objects?: ObjectListing; problem?: string }
  | { kind: 'object'; entryId: string; store: ObjectStoreSummary; object: ObjectSummary }
  | { kind: 'kvBucket'; entryId: string; bucket: BucketSummary; stamp: string }
  | { kind: 'kvKey'; entryId: string; bucket: string; entry: KvValue }
  | { kind: 'kvMore'; entryId: string; bucket: string; shown: number; matching: number }
  | { kind: 'error'; entryId?: string; message: string }
  | { kind: 'note'; entryId?: string; message: string };

export type NodeOf<K extends ExplorerNode['kind']> = Extract<ExplorerNode, { kind: K }>;
