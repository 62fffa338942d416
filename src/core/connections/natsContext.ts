// natscli contexts (~/.config/nats/context/NAME.json) as connections; their secrets are handed back separately.
import { z } from 'zod';
import type { ConnectionConfig } from './schema';
import { splitServers } from './environment';

/** The fields of a natscli context this extension understands; natscli writes many more. */
const ContextSchema = z.object({
  description: z.string().optional(),
  url: z.string().optional(),
  user: z.string().optional(),
  password: z.string().optional(),
  token: z.string().optional(),
  creds: z.string().optional(),
  nkey: z.string().optional(),
  cert: z.string().optional(),
  key: z.string().optional(),
  ca: z.string().optional(),
  jetstream_domain: z.string().optional(),
}).passthrough();

export interface ImportedContext {
  config: ConnectionConfig;
  /** The password or token the context file holds in clear: to move into SecretStorage. */
  secret?: string;
}

export type ContextParse = { ok: true; context: ImportedContext } | { ok: false; problem: string };

/** One context file's text → a connection named after the file; never throws. */
export function parseNatsContext(name: string, text: string, home?: string): ContextParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: `natscli context "${name}" is not valid JSON (${(e as Error).message}): fix or remove the file.` };
  }
  const r = ContextSchema.safeParse(json);
  if (!r.success) return { ok: false, problem: `natscli context "${name}" has an unexpected shape (${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}).` };
  const c = r.data;
  const path = (p: string | undefined) => (p && home ? p.replace(/^~(?=\/|$)/, home) : p) || undefined;
  const servers = splitServers(c.url ?? '') ;
  const tls = { caFile: path(c.ca), certFile: path(c.cert), keyFile: path(c.key) };
  const config: ConnectionConfig = {
    name,
    servers: servers.length ? servers : ['nats://127.0.0.1:4222'],
    auth: 'none',
    protected: false,
    readOnly: false,
    ...(Object.values(tls).some(Boolean) ? { tls: Object.fromEntries(Object.entries(tls).filter(([, v]) => v)) } : {}),
    ...(c.jetstream_domain ? { jetStreamDomain: c.jetstream_domain } : {}),
  };
  if (c.creds) return { ok: true, context: { config: { ...config, auth: 'creds', credsFile: path(c.creds) } } };
  if (c.nkey) return { ok: true, context: { config: { ...config, auth: 'nkey', nkeyFile: path(c.nkey) } } };
  if (c.user) return { ok: true, context: { config: { ...config, auth: 'user', user: c.user }, ...(c.password ? { secret: c.password } : {}) } };
  if (c.token) return { ok: true, context: { config: { ...config, auth: 'token' }, secret: c.token } };
  return { ok: true, context: { config } };
}

/** natscli's folder: $XDG_CONFIG_HOME/nats or ~/.config/nats. */
export function natsConfigDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  return `${(env.XDG_CONFIG_HOME || `${home}/.config`).replace(/\/$/, '')}/nats`;
}

/** Context names in import order: the selected one (context.txt) first, the rest by name. */
export function orderContexts(names: readonly string[], selected: string | undefined): string[] {
  const sorted = [...names].sort((a, b) => a.localeCompare(b));
  const sel = selected?.trim();
  return sel && sorted.includes(sel) ? [sel, ...sorted.filter(n => n !== sel)] : sorted;
}
