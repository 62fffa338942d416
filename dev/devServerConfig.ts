// A nats-server config like CIM-Start's (DOMAIN, QUERY and SYS accounts) for local development and tests.

/** The seed's development logins: for a local demo server only, never a default for a real connection. */
export const CIM_DEV_USERS = {
  domain: { account: 'DOMAIN', user: 'domain_user', pass: 'domain_pass' },
  query: { account: 'QUERY', user: 'query_user', pass: 'query_pass' },
  system: { account: 'SYS', user: 'system', pass: 'system_pass' },
} as const;

/** What a JetStream client needs beyond its own subjects (measured on nats-server 2.9 with a JetStream domain). */
export const JETSTREAM_PUBLISH = ['$JS.API.>', '$JS.ACK.>'];
export const JETSTREAM_SUBSCRIBE = ['_INBOX.>'];
/** Lets a user ask the server (2.10+) for its own permissions, which the explorer's server node shows. */
export const USER_INFO_PUBLISH = ['$SYS.REQ.USER.INFO'];

export interface DevServerConfigOptions {
  environments?: string[];
  /** Grant what JetStream needs (default). Off reproduces the seed config, which blocks all JetStream use. */
  jetStreamPermissions?: boolean;
  /** `jetstream: enabled` for the DOMAIN and QUERY accounts (default). */
  jetStreamAccounts?: boolean;
}

/** Config text with the accounts block; listen address, store dir and JetStream domain are the caller's. */
export function cimDevServerConfig(options: DevServerConfigOptions = {}): string {
  const envs = options.environments ?? ['dev', 'staging', 'prod'];
  const js = options.jetStreamPermissions ?? true;
  const per = (...tails: string[]) => envs.flatMap(e => tails.map(t => `${e}.${t}`));
  const { domain, query, system } = CIM_DEV_USERS;
  const account = (name: string, user: string, pass: string, publish: string[], subscribe: string[]) =>
    [
      `  ${name} {`,
      ...(options.jetStreamAccounts ?? true ? ['    jetstream: enabled'] : []),
      `    users: [ { user: ${quote(user)}, password: ${quote(pass)}, permissions: {`,
      `      publish: ${list([...publish, ...(js ? [...JETSTREAM_PUBLISH, ...USER_INFO_PUBLISH] : [])])}`,
      `      subscribe: ${list([...subscribe, ...(js ? JETSTREAM_SUBSCRIBE : [])])}`,
      '    } } ]',
      '  }',
    ].join('\n');
  return [
    'accounts {',
    account(domain.account, domain.user, domain.pass, per('domain.>', 'command.>', 'projection.>', 'saga.>', 'snapshot.>'), per('>')),
    account(query.account, query.user, query.pass, per('projection.>'), per('domain.>', 'projection.>')),
    `  ${system.account} { users: [ { user: ${quote(system.user)}, password: ${quote(system.pass)} } ] }`,
    '}',
    `system_account: ${system.account}`,
    '',
  ].join('\n');
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function list(items: string[]): string {
  return `[${items.map(quote).join(', ')}]`;
}
