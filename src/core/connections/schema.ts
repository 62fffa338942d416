// The shape of a named connection (setting `cimNats.connections`): no secret ever lives here, only which one to ask for.
import { z } from 'zod';

export const AUTH_KINDS = ['none', 'user', 'token', 'nkey', 'creds'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

/** A NATS server address as users write it: `nats://host:4222`, `tls://host:4443`, `host:4222` or `ws://…`. */
const ServerUrl = z.string().trim().min(1).refine(s => !/\s/.test(s), 'a server address holds no spaces')
  .refine(s => !/^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(s), 'put the password in the connection\'s auth, not in the address');

export const ConnectionSchema = z.object({
  name: z.string().trim().min(1).describe('Shown in the explorer and the status bar; unique.'),
  servers: z.array(ServerUrl).min(1).describe('One server, or every server of a cluster (the client fails over between them).'),
  auth: z.enum(AUTH_KINDS).default('none')
    .describe('none; user (a password kept in SecretStorage); token (kept in SecretStorage); nkey (seed file, or a seed kept in SecretStorage); creds (a credentials file).'),
  user: z.string().optional().describe('The user name, for auth "user".'),
  nkeyFile: z.string().optional().describe('Path of an NKey seed file, for auth "nkey" (without it the seed is asked for and kept in SecretStorage).'),
  credsFile: z.string().optional().describe('Path of a .creds file, for auth "creds".'),
  tls: z.object({
    caFile: z.string().optional(),
    certFile: z.string().optional(),
    keyFile: z.string().optional(),
  }).optional().describe('TLS: the CA to trust, a client certificate and its key (paths).'),
  jetStreamDomain: z.string().optional().describe('The JetStream domain to address ($JS.<domain>.API), e.g. "cim".'),
  environment: z.string().optional().describe('The algebra environment this connection serves (the default for {{env}}, completion and stream init).'),
  protected: z.boolean().default(false).describe('A production connection: publishing and destructive actions ask first.'),
  readOnly: z.boolean().default(false).describe('No purge, delete, create or publish through this connection.'),
}).superRefine((c, ctx) => {
  if (c.auth === 'user' && !c.user) ctx.addIssue({ code: 'custom', path: ['user'], message: 'auth "user" needs a user name' });
  if (c.auth === 'creds' && !c.credsFile) ctx.addIssue({ code: 'custom', path: ['credsFile'], message: 'auth "creds" needs credsFile' });
});

export type ConnectionConfig = z.output<typeof ConnectionSchema>;
export type ConnectionInput = z.input<typeof ConnectionSchema>;

/** Where a connection comes from: settings can be edited; the environment's and npm start's cannot. */
export type ConnectionOrigin = 'settings' | 'environment';

/** The secret a connection needs, if any, and what to call it when asking. */
export function secretKind(c: ConnectionConfig): 'password' | 'token' | 'nkeySeed' | undefined {
  if (c.auth === 'user') return 'password';
  if (c.auth === 'token') return 'token';
  if (c.auth === 'nkey' && !c.nkeyFile) return 'nkeySeed';
  return undefined;
}

/** Parses the settings array entry by entry: a broken entry is reported with its index and reason, the rest kept. */
export function parseConnections(raw: unknown): { connections: ConnectionConfig[]; problems: string[] } {
  if (raw === undefined || raw === null) return { connections: [], problems: [] };
  if (!Array.isArray(raw)) return { connections: [], problems: ['Setting cimNats.connections must be a list of connections; ignoring it.'] };
  const connections: ConnectionConfig[] = [];
  const problems: string[] = [];
  const names = new Set<string>();
  raw.forEach((entry, i) => {
    const r = ConnectionSchema.safeParse(entry);
    if (!r.success) {
      const issue = r.error.issues[0];
      const where = issue?.path.length ? `.${issue.path.join('.')}` : '';
      problems.push(`Connection ${i + 1} in cimNats.connections${where} is invalid (${issue?.message ?? 'wrong shape'}); it is left out.`);
      return;
    }
    if (names.has(r.data.name)) {
      problems.push(`Connection ${i + 1} in cimNats.connections has the name "${r.data.name}" of an earlier one; it is left out.`);
      return;
    }
    names.add(r.data.name);
    connections.push(r.data);
  });
  return { connections, problems };
}

/** `nats://host:4222, …` without credentials: how a connection is labelled. */
export function serverLabel(servers: readonly string[]): string {
  return servers.map(s => s.replace(/^([a-z]+:\/\/)?[^@/]*@/i, '$1')).join(', ');
}
