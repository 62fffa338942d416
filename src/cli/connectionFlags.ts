// The connection flags every NATS command of the CLI takes, over the variables CIM-Start users already export.
// Secrets come only from the environment: a command line is visible to every user of the machine (ps, /proc).
import { connectionFromEnvironment, splitServers } from '../core/connections/environment';
import { serverLabel } from '../core/connections/schema';
import type { NatsConnectOptions } from '../nats/connection/connect';
import { connectOptionsFor } from '../nats/connection/connectOptions';
import { UsageError } from './usage';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface ConnectionFlags {
  options: NatsConnectOptions;
  /** The arguments that are not connection flags, in their order (everything after `--` included). */
  rest: string[];
  /** `--env`, else CIM_ENVIRONMENT. */
  environment?: string;
  /** The servers as they may be shown (no credentials). */
  server: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The flags that take a value; usage.ts's CONNECTION_HELP lists the same. */
const VALUE_FLAGS = ['server', 'user', 'password-env', 'token-env', 'creds', 'nkey', 'tls-ca', 'tls-cert', 'tls-key', 'js-domain', 'env'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

/** Flags that would put a secret on the command line, and where the secret goes instead. */
const SECRET_FLAGS: Record<string, string> = {
  password: 'export it and pass --password-env VAR (or set NATS_PASS)',
  pass: 'export it and pass --password-env VAR (or set NATS_PASS)',
  token: 'export it and pass --token-env VAR (or set NATS_TOKEN)',
  'nkey-seed': 'put the seed in a file and pass --nkey FILE (or set NATS_NKEY)',
  seed: 'put the seed in a file and pass --nkey FILE (or set NATS_NKEY)',
};

/** The environment variables connectionFromEnvironment reads; flags replace them before it maps them. */
const AUTH_VARS = ['NATS_USER', 'NATS_PASS', 'NATS_TOKEN', 'NATS_CREDS', 'NATS_NKEY'] as const;

/**
 * Takes the connection flags out of `args` and maps them, over `env`'s NATS_* variables, to what connectNats takes.
 * Throws a `UsageError` (one line, never holding a secret) for a flag without its value, a secret on the command
 * line, two ways of logging in, a `--password-env`/`--token-env` variable that is not set, or no server at all.
 */
export function parseConnectionFlags(args: readonly string[], env: Env): ConnectionFlags {
  const values = new Map<ValueFlag, string[]>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    const m = /^--([a-z-]+)(?:=([\s\S]*))?$/.exec(arg);
    const flag = m?.[1];
    if (flag && Object.hasOwn(SECRET_FLAGS, flag)) {
      throw new UsageError(`--${flag}: cim-nats takes no secret on the command line, where other users can read it: ${SECRET_FLAGS[flag]}`);
    }
    if (!flag || !(VALUE_FLAGS as readonly string[]).includes(flag)) {
      rest.push(arg);
      continue;
    }
    let value = m[2];
    if (value === undefined) {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`--${flag} needs a value`);
      value = next;
      i++;
    }
    values.set(flag as ValueFlag, [...(values.get(flag as ValueFlag) ?? []), value]);
  }
  const one = (flag: ValueFlag) => {
    const list = values.get(flag);
    if (list && list.length > 1) throw new UsageError(`--${flag} is given ${list.length} times: give it once`);
    return list?.[0];
  };

  const merged: Record<string, string | undefined> = {
    NATS_URL: env.NATS_URL, NATS_JS_DOMAIN: env.NATS_JS_DOMAIN, CIM_ENVIRONMENT: env.CIM_ENVIRONMENT,
    ...Object.fromEntries(AUTH_VARS.map(v => [v, env[v]])),
  };
  const servers = (values.get('server') ?? []).flatMap(splitServers);
  if (values.has('server') && servers.length === 0) throw new UsageError('--server needs a server address, e.g. nats://127.0.0.1:4222');
  for (const s of servers) {
    // user:password@ or token@ in an address is a secret on the command line too; say so without repeating it.
    if (/^([a-z]+:\/\/)?[^@/]*@/i.test(s)) throw new UsageError(`--server ${serverLabel([s])} holds credentials before "@": pass --user with --password-env, or --token-env, instead`);
  }
  if (servers.length > 0) merged.NATS_URL = servers.join(',');
  const jsDomain = one('js-domain');
  if (jsDomain !== undefined) merged.NATS_JS_DOMAIN = jsDomain;
  const environment = one('env');
  if (environment !== undefined) merged.CIM_ENVIRONMENT = environment;

  const secretFrom = (flag: 'password-env' | 'token-env') => {
    const name = one(flag);
    if (name === undefined) return undefined;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--${flag} takes the name of an environment variable, such as NATS_PASS, not the secret itself`);
    const secret = env[name];
    if (secret === undefined) throw new UsageError(`--${flag} ${name}: that environment variable is not set`);
    return secret;
  };
  const user = one('user');
  const password = secretFrom('password-env');
  const token = secretFrom('token-env');
  const creds = one('creds');
  const nkey = one('nkey');
  const logins = [
    user !== undefined || password !== undefined ? '--user' : undefined,
    token !== undefined ? '--token-env' : undefined,
    creds !== undefined ? '--creds' : undefined,
    nkey !== undefined ? '--nkey' : undefined,
  ].filter(Boolean);
  if (logins.length > 1) throw new UsageError(`${logins.join(' and ')} are two ways of logging in: choose one`);
  // A login on the command line replaces the environment's, whichever kind it was.
  const login = (vars: Partial<Record<(typeof AUTH_VARS)[number], string | undefined>>) => {
    for (const v of AUTH_VARS) merged[v] = vars[v];
  };
  if (user !== undefined || password !== undefined) {
    const name = user ?? env.NATS_USER?.trim();
    if (!name) throw new UsageError('--password-env needs a user: add --user U (or set NATS_USER)');
    login({ NATS_USER: name, NATS_PASS: password ?? env.NATS_PASS });
  } else if (token !== undefined) {
    login({ NATS_TOKEN: token });
  } else if (creds !== undefined) {
    login({ NATS_CREDS: creds });
  } else if (nkey !== undefined) {
    login({ NATS_NKEY: nkey });
  }

  const connection = connectionFromEnvironment(merged);
  if (!connection) throw new UsageError('no NATS server: pass --server URL or set NATS_URL');
  const options = connectOptionsFor(connection.config, connection.secret);
  const tls = { caFile: one('tls-ca'), certFile: one('tls-cert'), keyFile: one('tls-key') };
  if (Object.values(tls).some(v => v !== undefined)) {
    options.tls = Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== undefined));
  }
  return {
    options,
    rest,
    server: serverLabel(connection.config.servers),
    ...(connection.config.environment ? { environment: connection.config.environment } : {}),
  };
}

/** `--help` or `-h` among the flags (before a `--`): the command prints its usage and exits 0. */
export function asksForHelp(args: readonly string[]): boolean {
  const flags = args.slice(0, args.includes('--') ? args.indexOf('--') : args.length);
  return flags.includes('--help') || flags.includes('-h');
}

/** The connection flags (over the NATS_* variables), then the command's own options and positionals, strictly. */
export function parseCommand<const O extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], env: Env, options: O) {
  const connection = parseConnectionFlags(args, env);
  return { connection, ...parseArgs({ args: connection.rest, options, allowPositionals: true, strict: true }) };
}
