// Add / edit a connection: a guided QuickPick and InputBox flow that tests the connection before saving it.
import * as vscode from 'vscode';
import { ConnectionSchema, secretKind, splitServers, type AuthKind, type ConnectionConfig, type ConnectionInput } from '../../core/connections';
import { errorMessage } from '../platform/log';
import { natsRuntime } from '../platform/natsRuntime';
import type { ConnectionRegistry } from './connectionRegistry';

/** Arguments for scripted use (and tests): a complete config skips the prompts, `secret` the password prompt. */
export interface ConnectionFlowArgs {
  config?: ConnectionInput;
  secret?: string;
  /** Save without testing (the flow still tests unless this is set). */
  skipTest?: boolean;
}

const AUTH_PICKS: { auth: AuthKind; label: string; detail: string }[] = [
  { auth: 'none', label: 'No authentication', detail: 'A local or open server' },
  { auth: 'user', label: 'User and password', detail: 'The password is kept in VS Code\'s secret storage' },
  { auth: 'token', label: 'Token', detail: 'Kept in VS Code\'s secret storage' },
  { auth: 'nkey', label: 'NKey', detail: 'A seed file, or a seed kept in VS Code\'s secret storage' },
  { auth: 'creds', label: 'Credentials file (.creds)', detail: 'A user JWT and seed, as nsc or natscli write them' },
];

class Cancelled extends Error {}

function need<T>(v: T | undefined): T {
  if (v === undefined) throw new Cancelled();
  return v;
}

/** Runs the flow; resolves with the saved connection, or undefined when the user cancelled. */
export async function connectionFlow(registry: ConnectionRegistry, environments: readonly string[], existing?: ConnectionConfig, args: ConnectionFlowArgs = {}): Promise<ConnectionConfig | undefined> {
  try {
    let draft: ConnectionInput = args.config ?? (await prompt(environments, existing));
    let secret = args.secret;
    for (;;) {
      const parsed = ConnectionSchema.safeParse(draft);
      if (!parsed.success) throw new Error(`The connection is incomplete: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}.`);
      const config = parsed.data;
      const kind = secretKind(config);
      if (kind && secret === undefined) {
        secret = need(await vscode.window.showInputBox({
          title: `${config.name}: ${kind === 'password' ? `password of ${config.user}` : kind === 'token' ? 'token' : 'NKey seed (SU…)'}`,
          prompt: 'Kept in VS Code\'s secret storage, never in settings or logs.',
          password: true,
          ignoreFocusOut: true,
          ...(existing ? { placeHolder: 'Leave empty to keep the stored one' } : {}),
        }));
        if (secret === '' && existing) secret = undefined;
      }
      const taken = registry.entries().some(e => e.origin === 'settings' && e.config.name === config.name && e.config.name !== existing?.name);
      if (taken) throw new Error(`There is already a connection named "${config.name}": pick another name.`);
      const problem = args.skipTest ? undefined : await testConnection(registry, config, secret, existing);
      if (problem) {
        if (args.config) throw new Error(problem);
        const choice = await vscode.window.showWarningMessage(problem, { modal: true }, 'Edit', 'Save Anyway');
        if (choice === 'Edit') {
          draft = await prompt(environments, config);
          continue;
        }
        if (choice !== 'Save Anyway') return undefined;
      }
      const saved = await registry.save(config, secret, existing?.name);
      void vscode.window.showInformationMessage(`Connection ${saved.name} saved${problem ? '' : ' and tested'}.`);
      return saved;
    }
  } catch (e) {
    if (e instanceof Cancelled) return undefined;
    throw e;
  }
}

/** Connects once with the draft (and JetStream's account info): one sentence when anything fails. */
async function testConnection(registry: ConnectionRegistry, config: ConnectionConfig, secret: string | undefined, existing?: ConnectionConfig): Promise<string | undefined> {
  const rt = await natsRuntime();
  let value = secret;
  if (value === undefined && existing && secretKind(config)) {
    const entry = registry.entries().find(e => e.origin === 'settings' && e.config.name === existing.name);
    if (entry) value = await registry.vault.get(entry).catch(() => undefined);
  }
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing ${config.name}…`, cancellable: false }, async () => {
    let session;
    try {
      session = await rt.connectNats({ ...rt.connectOptionsFor(config, value), name: 'cim-nats connection test', timeoutMs: 5000 });
    } catch (e) {
      return errorMessage(e);
    }
    try {
      await (await session.jetstreamManager()).getAccountInfo();
      return undefined;
    } catch (e) {
      return `Connected, but JetStream is not usable: ${errorMessage(e)}`;
    } finally {
      await session.close();
    }
  });
}

async function prompt(environments: readonly string[], existing?: ConnectionInput): Promise<ConnectionInput> {
  const serversText = need(await vscode.window.showInputBox({
    title: 'NATS server address',
    prompt: 'One address, or every server of a cluster separated by commas (nats://host:4222, tls://host:4443)',
    value: existing?.servers?.join(', ') ?? 'nats://127.0.0.1:4222',
    ignoreFocusOut: true,
    validateInput: v => {
      const list = splitServers(v);
      if (list.length === 0) return 'Enter at least one server address.';
      const bad = list.find(s => !/^((nats|tls|ws|wss):\/\/)?[^\s/:@]+(:\d+)?$/.test(s));
      if (bad) return `"${bad}" is not a server address such as nats://host:4222 (no user or password in it: those come next).`;
      return undefined;
    },
  }));
  const servers = splitServers(serversText);
  const authPick = need(await vscode.window.showQuickPick(AUTH_PICKS.map(p => ({ ...p, picked: p.auth === existing?.auth })), { title: 'Authentication', ignoreFocusOut: true }));
  const draft: ConnectionInput = { name: existing?.name ?? '', servers, auth: authPick.auth };
  if (authPick.auth === 'user') {
    draft.user = need(await vscode.window.showInputBox({ title: 'User name', value: existing?.user ?? '', ignoreFocusOut: true, validateInput: v => (v.trim() ? undefined : 'Enter the user name.') })).trim();
  } else if (authPick.auth === 'nkey') {
    const how = need(await vscode.window.showQuickPick([{ label: 'Seed file…', file: true }, { label: 'Enter the seed (kept in secret storage)', file: false }], { title: 'NKey seed', ignoreFocusOut: true }));
    if (how.file) draft.nkeyFile = need(await pickFile('NKey seed file', existing?.nkeyFile));
  } else if (authPick.auth === 'creds') {
    draft.credsFile = need(await pickFile('Credentials file', existing?.credsFile, { Credentials: ['creds'] }));
  }
  const tlsPick = need(await vscode.window.showQuickPick([
    { label: 'No custom TLS files', id: 'none' },
    { label: 'Trust a CA file…', id: 'ca' },
    { label: 'CA file and a client certificate (mutual TLS)…', id: 'mtls' },
  ], { title: 'TLS', ignoreFocusOut: true }));
  if (tlsPick.id !== 'none') {
    draft.tls = { caFile: need(await pickFile('CA certificate', existing?.tls?.caFile, { Certificates: ['pem', 'crt', 'cer'] })) };
    if (tlsPick.id === 'mtls') {
      draft.tls.certFile = need(await pickFile('Client certificate', existing?.tls?.certFile, { Certificates: ['pem', 'crt', 'cer'] }));
      draft.tls.keyFile = need(await pickFile('Client key', existing?.tls?.keyFile, { Keys: ['pem', 'key'] }));
    }
  }
  const domain = need(await vscode.window.showInputBox({ title: 'JetStream domain (optional)', prompt: 'Leave empty for the account\'s default JetStream; CIM-Start\'s server uses "cim"', value: existing?.jetStreamDomain ?? '', ignoreFocusOut: true })).trim();
  if (domain) draft.jetStreamDomain = domain;
  if (environments.length) {
    const env = need(await vscode.window.showQuickPick(
      [{ label: '(none)', env: undefined as string | undefined, description: 'use cimNats.playbook.defaultEnvironment' }, ...environments.map(e => ({ label: e, env: e as string | undefined, description: '', picked: e === existing?.environment }))],
      { title: 'The algebra environment this server serves', ignoreFocusOut: true }));
    if (env.env) draft.environment = env.env;
  }
  const flags = need(await vscode.window.showQuickPick([
    { label: 'Protected (production)', description: 'publishing and destructive actions ask first', id: 'protected', picked: !!existing?.protected },
    { label: 'Read-only', description: 'no purge, delete, create or publish through it', id: 'readOnly', picked: !!existing?.readOnly },
  ], { title: 'Safety', canPickMany: true, ignoreFocusOut: true }));
  draft.protected = flags.some(f => f.id === 'protected');
  draft.readOnly = flags.some(f => f.id === 'readOnly');
  draft.name = need(await vscode.window.showInputBox({ title: 'Connection name', value: existing?.name || servers[0]!.replace(/^[a-z]+:\/\//, ''), ignoreFocusOut: true, validateInput: v => (v.trim() ? undefined : 'Enter a name.') })).trim();
  return draft;
}

async function pickFile(title: string, current: string | undefined, filters?: Record<string, string[]>): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, canSelectMany: false, ...(current ? { defaultUri: vscode.Uri.file(current) } : {}), ...(filters ? { filters: { ...filters, 'All files': ['*'] } } : {}) });
  return picked?.[0]?.fsPath;
}
