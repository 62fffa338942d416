// A connection from the variables CIM-Start users already export (NATS_URL, NATS_USER, NATS_PASS, NATS_CREDS, …).
import type { ConnectionConfig } from './schema';
import { serverLabel } from './schema';

export interface EnvConnection {
  config: ConnectionConfig;
  /** The secret the environment gives (NATS_PASS, NATS_TOKEN): held in memory only, never stored. */
  secret?: string;
}

/** Splits `nats://a:4222,nats://b:4222` or a space-separated list. */
export function splitServers(value: string): string[] {
  return value.split(/[,\s]+/).map(s => s.trim()).filter(Boolean);
}

/** The connection NATS_URL describes, or undefined when it is not set (NATS_CONTEXT is read by the caller: it names a file). */
export function connectionFromEnvironment(env: Readonly<Record<string, string | undefined>>): EnvConnection | undefined {
  const url = env.NATS_URL?.trim();
  if (!url) return undefined;
  const servers = splitServers(url);
  const base = {
    name: serverLabel(servers),
    servers,
    protected: false,
    readOnly: false,
    ...(env.CIM_ENVIRONMENT?.trim() ? { environment: env.CIM_ENVIRONMENT.trim() } : {}),
    ...(env.NATS_JS_DOMAIN?.trim() ? { jetStreamDomain: env.NATS_JS_DOMAIN.trim() } : {}),
  };
  if (env.NATS_CREDS?.trim()) return { config: { ...base, auth: 'creds', credsFile: env.NATS_CREDS.trim() } };
  if (env.NATS_NKEY?.trim()) return { config: { ...base, auth: 'nkey', nkeyFile: env.NATS_NKEY.trim() } };
  if (env.NATS_USER?.trim()) return { config: { ...base, auth: 'user', user: env.NATS_USER.trim() }, ...(env.NATS_PASS !== undefined ? { secret: env.NATS_PASS } : {}) };
  if (env.NATS_TOKEN?.trim()) return { config: { ...base, auth: 'token' }, secret: env.NATS_TOKEN.trim() };
  return { config: { ...base, auth: 'none' } };
}
