// What a normal account can learn about its server: identity, cluster, JetStream usage and its own permissions.
import { PermissionViolationError, RequestError } from '@nats-io/transport-node';
import { matches } from '../../core/pattern/match';
import { subset } from '../../core/pattern/lattice';
import type { NatsSession } from '../connection/connect';
import { versionAtLeast } from './jsApi';

export interface AccountUsage {
  /** Bytes. */
  memory: number;
  /** Bytes. */
  storage: number;
  streams: number;
  consumers: number;
  /** -1 is no limit. */
  limits: { maxMemory: number; maxStorage: number; maxStreams: number; maxConsumers: number };
  api: { total: number; errors: number };
}

export interface UserPermissions {
  user: string;
  account: string;
  publish?: { allow?: string[]; deny?: string[] };
  subscribe?: { allow?: string[]; deny?: string[] };
  expires?: string;
}

export interface ServerOverview {
  serverName: string;
  serverId: string;
  version: string;
  maxPayload: number;
  cluster?: { name: string; urls: string[] };
  jetStreamDomain?: string;
  /** Undefined when JetStream is off for the account: then `jetStreamProblem` says why. */
  account?: AccountUsage;
  /** One sentence. */
  jetStreamProblem?: string;
  /** From `$SYS.REQ.USER.INFO` (nats-server 2.10+); undefined otherwise, with `permissionsNote` saying why. */
  permissions?: UserPermissions;
  permissionsNote?: string;
}

const USER_INFO = '$SYS.REQ.USER.INFO';
const USER_INFO_TIMEOUT_MS = 2_000;

export async function serverOverview(session: NatsSession): Promise<ServerOverview> {
  const info = session.nc.info;
  if (!info) throw new Error('the connection has no server info yet');
  const [account, permissions] = await Promise.all([accountUsage(session, info.jetstream === true), userPermissions(session, info.version)]);
  // The server tells its JetStream domain in INFO; the client's type does not list it.
  const domain = (info as { domain?: string }).domain || session.jetStreamDomain;
  return {
    serverName: info.server_name,
    serverId: info.server_id,
    version: info.version,
    maxPayload: info.max_payload,
    ...(info.cluster ? { cluster: { name: info.cluster, urls: info.connect_urls ?? [] } } : {}),
    ...(domain ? { jetStreamDomain: domain } : {}),
    ...account,
    ...permissions,
  };
}

async function accountUsage(session: NatsSession, serverHasJetStream: boolean): Promise<Pick<ServerOverview, 'account' | 'jetStreamProblem'>> {
  if (!serverHasJetStream) {
    return { jetStreamProblem: `${session.server} runs without JetStream: start nats-server with -js (or a jetstream block in its config) to keep streams.` };
  }
  try {
    const jsm = await session.jetstreamManager();
    const a = await jsm.getAccountInfo();
    return {
      account: {
        memory: a.memory,
        storage: a.storage,
        streams: a.streams,
        consumers: a.consumers,
        limits: { maxMemory: a.limits.max_memory, maxStorage: a.limits.max_storage, maxStreams: a.limits.max_streams, maxConsumers: a.limits.max_consumers },
        api: { total: a.api.total, errors: a.api.errors },
      },
    };
  } catch (e) {
    return { jetStreamProblem: session.describe(e, { action: 'reading the JetStream account' }) };
  }
}

interface UserInfoReply {
  data?: {
    user: string;
    account: string;
    permissions?: { publish?: { allow?: string[]; deny?: string[] }; subscribe?: { allow?: string[]; deny?: string[] } };
    expires?: string | number;
  };
  error?: { code: number; description: string };
}

async function userPermissions(session: NatsSession, version: string): Promise<Pick<ServerOverview, 'permissions' | 'permissionsNote'>> {
  if (!versionAtLeast(version, 2, 10)) {
    return { permissionsNote: `nats-server 2.10 or newer tells the connected user's permissions; ${version} does not.` };
  }
  const who = session.user ? `User ${session.user}` : 'The connecting user';
  try {
    const m = await session.nc.request(USER_INFO, '', { timeout: USER_INFO_TIMEOUT_MS });
    const reply = m.json<UserInfoReply>();
    if (!reply.data) return { permissionsNote: `${session.server} did not tell the user's permissions${reply.error ? `: ${reply.error.description}` : ''}.` };
    const { user, account, permissions, expires } = reply.data;
    return {
      permissions: {
        user,
        account,
        ...(permissions?.publish ? { publish: permissions.publish } : {}),
        ...(permissions?.subscribe ? { subscribe: permissions.subscribe } : {}),
        ...(expires ? { expires: typeof expires === 'number' ? new Date(expires).toISOString() : expires } : {}),
      },
    };
  } catch (e) {
    if (isViolation(e)) {
      return { permissionsNote: `${who} may not ask the server for its permissions: add "${USER_INFO}" to its publish permissions to see them here.` };
    }
    return { permissionsNote: `${session.server} did not tell the user's permissions: ${session.describe(e, { subject: USER_INFO, action: 'asking for the user\'s permissions' })}` };
  }
}

function isViolation(e: unknown): boolean {
  for (let x: unknown = e; x instanceof Error; x = x.cause) {
    if (x instanceof PermissionViolationError || PermissionViolationError.parse(x.message)) return true;
    if (x instanceof RequestError && /permissions violation/i.test(x.message)) return true;
  }
  return false;
}

/**
 * A refusal before sending: undefined when allowed (or unknown), else one sentence naming the missing permission.
 * NATS rules: with an allow list only what it covers passes; deny wins over allow. A subscription with wildcards
 * passes when an allow pattern covers all of it, and is refused when a deny pattern covers it.
 */
export function checkPermission(perms: UserPermissions | undefined, op: 'publish' | 'subscribe', subject: string): string | undefined {
  const rules = perms?.[op];
  if (!perms || !rules) return undefined;
  // A subscription may hold wildcards: it needs a pattern that covers all of it.
  const covers = op === 'publish' ? (p: string) => matches(p, subject) : (p: string) => subset(subject, p);
  const who = `User ${perms.user} (account ${perms.account})`;
  const denied = rules.deny?.find(covers);
  if (denied) return `${who} may not ${op} to "${subject}": its ${op} permissions deny "${denied}".`;
  if (rules.allow && rules.allow.length > 0 && !rules.allow.some(covers)) {
    return `${who} may not ${op} to "${subject}": its ${op} permissions allow only ${listed(rules.allow)}; add it, or a pattern covering it, in the server config.`;
  }
  return undefined;
}

/** The user's own patterns first (not JetStream's plumbing), at most six. */
function listed(patterns: string[]): string {
  const own = patterns.filter(p => !/^(\$JS\.|\$SYS\.|_INBOX\.)/.test(p));
  const shown = (own.length > 0 ? own : patterns).slice(0, 6).map(p => `"${p}"`);
  const more = patterns.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` (and ${more} more)` : ''}`;
}
