// Per-server and per-account figures, as `nats server report jetstream` and `nats server report accounts` show them,
// asked of the system account (every server answers a PING). Measured on nats-server 2.9.10 and 2.15.1: both answer
// `$SYS.REQ.SERVER.PING` (statsz), `$SYS.REQ.SERVER.PING.JSZ` and `$SYS.REQ.ACCOUNT.PING.STATZ`, but neither answers
// `$SYS.REQ.SERVER.PING.STATZ`. An account that may not ask gets a sentence saying so and what it may see of itself.
import { PermissionViolationError, RequestError, TimeoutError } from '@nats-io/transport-node';
import type { NatsSession } from '../connection/connect';
import { serverOverview, type AccountUsage } from '../explorer/serverOverview';

export const SERVER_PING = '$SYS.REQ.SERVER.PING';
export const SERVER_JSZ = '$SYS.REQ.SERVER.PING.JSZ';
export const ACCOUNT_STATZ = '$SYS.REQ.ACCOUNT.PING.STATZ';

export interface Traffic {
  msgs: number;
  bytes: number;
}

export interface ServerRow {
  name: string;
  id: string;
  version: string;
  cluster?: string;
  /** The server's start (ms): a restart starts its counters over. */
  start: number;
  /** Percent of one core. */
  cpu: number;
  /** Bytes. */
  mem: number;
  cores: number;
  connections: number;
  totalConnections: number;
  subscriptions: number;
  slowConsumers: number;
  /** Received from clients and other servers, and sent: counters since the start. */
  in: Traffic;
  out: Traffic;
}

export interface JetStreamRow {
  server: string;
  domain?: string;
  streams: number;
  consumers: number;
  messages: number;
  bytes: number;
  memory: number;
  storage: number;
  apiTotal: number;
  apiErrors: number;
  /** Replicated assets (streams and consumers with replicas) this server holds. */
  haAssets: number;
  /** In a cluster, whether this server is the JetStream meta leader. */
  metaLeader?: boolean;
}

export interface AccountRow {
  account: string;
  /** Summed over the servers that answered. */
  connections: number;
  totalConnections: number;
  subscriptions: number;
  slowConsumers: number;
  /** What the account's clients sent to the servers, and what they were sent. */
  in: Traffic;
  out: Traffic;
  /** JetStream usage in bytes, when JetStream is on for the account. */
  jetStream?: { memory: number; storage: number };
}

export type ServerReport =
  | { kind: 'system'; t: number; servers: ServerRow[]; jetStream: JetStreamRow[]; accounts: AccountRow[]; requests: number }
  | {
      kind: 'account';
      t: number;
      /** What could not be asked and how to get it. */
      missing: string;
      /** What the account may see of itself ($JS.API.INFO), or why not. */
      account?: AccountUsage;
      accountProblem?: string;
      server: { name: string; version: string };
      requests: number;
    };

export interface ServerReportOptions {
  /** How long to wait for more servers after the last answer (ms, default 300). */
  stall?: number;
  /** The longest wait for all answers (ms, default 3,000). */
  maxWait?: number;
}

interface Envelope<T> {
  server: { name: string; id: string; ver: string; cluster?: string; domain?: string };
  data?: T;
  statsz?: T;
}

interface Statsz {
  start: string;
  mem: number;
  cores: number;
  cpu: number;
  connections: number;
  total_connections: number;
  subscriptions: number;
  slow_consumers: number;
  sent: Traffic;
  received: Traffic;
}

interface Jsz {
  streams: number;
  consumers: number;
  messages: number;
  bytes: number;
  memory: number;
  storage: number;
  ha_assets?: number;
  api?: { total: number; errors: number };
  meta_cluster?: { leader?: string };
  account_details?: { name?: string; id: string; memory: number; storage: number }[];
}

interface AccountStatz {
  account_statz?: { acc: string; conns: number; total_conns: number; num_subscriptions?: number; slow_consumers?: number; sent: Traffic; received: Traffic }[];
}

/** The server and accounts reports through the system account, or what is missing and what this account may see. */
export async function serverReport(session: NatsSession, options: ServerReportOptions = {}): Promise<ServerReport> {
  const ask = <T>(subject: string, body: unknown) => pingAll<T>(session, subject, body, options);
  let requests = 1;
  let statsz: Envelope<Statsz>[];
  try {
    statsz = await ask<Statsz>(SERVER_PING, {});
  } catch (e) {
    const missing = missingSentence(session, e);
    if (!missing) throw e;
    const overview = await serverOverview(session);
    requests++;
    return {
      kind: 'account',
      t: Date.now(),
      missing,
      ...(overview.account ? { account: overview.account } : {}),
      ...(overview.jetStreamProblem ? { accountProblem: overview.jetStreamProblem } : {}),
      server: { name: overview.serverName, version: overview.version },
      requests,
    };
  }
  const [jsz, accounts] = await Promise.all([
    ask<Jsz>(SERVER_JSZ, { accounts: true }).catch(() => []),
    ask<AccountStatz>(ACCOUNT_STATZ, { include_unused: true }).catch(() => []),
  ]);
  requests += 2;
  const servers = statsz.map(serverRow).sort((a, b) => a.name.localeCompare(b.name));
  const jetStream = jsz.filter(e => e.data).map(e => jetStreamRow(e)).sort((a, b) => a.server.localeCompare(b.server));
  return { kind: 'system', t: Date.now(), servers, jetStream, accounts: accountRows(accounts, jsz), requests };
}

function serverRow(e: Envelope<Statsz>): ServerRow {
  const s = e.statsz ?? e.data!;
  return {
    name: e.server.name,
    id: e.server.id,
    version: e.server.ver,
    ...(e.server.cluster ? { cluster: e.server.cluster } : {}),
    start: Date.parse(s.start) || 0,
    cpu: s.cpu,
    mem: s.mem,
    cores: s.cores,
    connections: s.connections,
    totalConnections: s.total_connections,
    subscriptions: s.subscriptions,
    slowConsumers: s.slow_consumers,
    in: { msgs: s.received.msgs, bytes: s.received.bytes },
    out: { msgs: s.sent.msgs, bytes: s.sent.bytes },
  };
}

function jetStreamRow(e: Envelope<Jsz>): JetStreamRow {
  const d = e.data!;
  const leader = d.meta_cluster?.leader;
  return {
    server: e.server.name,
    ...(e.server.domain ? { domain: e.server.domain } : {}),
    streams: d.streams,
    consumers: d.consumers,
    messages: d.messages,
    bytes: d.bytes,
    memory: d.memory,
    storage: d.storage,
    apiTotal: d.api?.total ?? 0,
    apiErrors: d.api?.errors ?? 0,
    haAssets: d.ha_assets ?? 0,
    ...(leader ? { metaLeader: leader === e.server.name } : {}),
  };
}

function accountRows(statz: Envelope<AccountStatz>[], jsz: Envelope<Jsz>[]): AccountRow[] {
  const rows = new Map<string, AccountRow>();
  for (const e of statz) {
    for (const a of e.data?.account_statz ?? []) {
      const row = rows.get(a.acc) ?? { account: a.acc, connections: 0, totalConnections: 0, subscriptions: 0, slowConsumers: 0, in: { msgs: 0, bytes: 0 }, out: { msgs: 0, bytes: 0 } };
      row.connections += a.conns;
      row.totalConnections += a.total_conns;
      row.subscriptions += a.num_subscriptions ?? 0;
      row.slowConsumers += a.slow_consumers ?? 0;
      row.in.msgs += a.received.msgs;
      row.in.bytes += a.received.bytes;
      row.out.msgs += a.sent.msgs;
      row.out.bytes += a.sent.bytes;
      rows.set(a.acc, row);
    }
  }
  for (const e of jsz) {
    for (const d of e.data?.account_details ?? []) {
      const name = d.name ?? d.id;
      const row = rows.get(name);
      if (!row) continue;
      row.jetStream = { memory: (row.jetStream?.memory ?? 0) + d.memory, storage: (row.jetStream?.storage ?? 0) + d.storage };
    }
  }
  return [...rows.values()].sort((a, b) => a.account.localeCompare(b.account));
}

/** Every server's answer to a PING: until no more come for `stall` ms, or `maxWait`. */
async function pingAll<T>(session: NatsSession, subject: string, body: unknown, options: ServerReportOptions): Promise<Envelope<T>[]> {
  const out: Envelope<T>[] = [];
  const replies = await session.nc.requestMany(subject, JSON.stringify(body), { strategy: 'stall', stall: options.stall ?? 300, maxWait: options.maxWait ?? 3000 });
  for await (const m of replies) {
    if (m.data.length === 0) continue;
    out.push(m.json<Envelope<T>>());
  }
  if (out.length === 0) throw new RequestError(`no server answered ${subject}`);
  return out;
}

/** Why the connection may not ask the system account, as one sentence; undefined for any other failure. */
function missingSentence(session: NatsSession, e: unknown): string | undefined {
  const who = session.user ? `User ${session.user}` : 'This connection\'s user';
  const how = 'connect as a user of the system account (the seed\'s "system" user) to see per-server CPU, memory, connections and traffic and the JetStream and accounts reports. Shown instead: what this account may see of itself.';
  for (let x: unknown = e; x instanceof Error; x = x.cause) {
    if (x instanceof PermissionViolationError || /permissions violation/i.test(x.message)) {
      return `${who} may not publish to "${SERVER_PING}", so it cannot ask the system account: ${how}`;
    }
    if ((x instanceof RequestError && (x.isNoResponders() || /no server answered/.test(x.message))) || /no responders/i.test(x.message)) {
      return `${who} is not in the system account, so no server answers "${SERVER_PING}": ${how}`;
    }
    if (x instanceof TimeoutError) return `No server answered "${SERVER_PING}" in time: ${how}`;
  }
  return undefined;
}
