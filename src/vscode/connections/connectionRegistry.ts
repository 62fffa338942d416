// The connections users have: settings, NATS_URL / NATS_CONTEXT from the environment; the one manager that owns them.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { ConnectionSchema, connectionFromEnvironment, natsConfigDir, parseNatsContext, type ConnectionConfig, type ConnectionInput } from '../../core/connections';
import type { ConnectionEntry, ConnectionEvent, ConnectionManager, ConnectionState } from '../../nats/connection/manager';
import type { NatsConnectOptions, NatsSession } from '../../nats/connection/connect';
import { log } from '../platform/log';
import { natsRuntime } from '../platform/natsRuntime';
import { settingsFor } from '../platform/configuration';
import { SecretVault } from './secretVault';
import { onSettingsChange } from '../platform/configuration';

export const ENVIRONMENT_ID = 'environment';

/** What an action of ours changed on a connection's server. */
export interface ServerChange {
  connectionId: string;
  /** The streams whose figures changed, when known; none: re-read the connection. */
  streams?: readonly string[];
  /** What did it, for the log ("publish", "purge", "tail stopped"...). */
  reason: string;
}
const ACTIVE_KEY = 'cimNats.activeConnection';

export class ConnectionRegistry implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Entries changed (added, edited, removed): views rebuild their roots. */
  readonly onDidChangeEntries = this.changed.event;
  private readonly stateChanged = new vscode.EventEmitter<ConnectionEvent>();
  /** A connection's state changed; `recovered` after an outage. */
  readonly onDidChangeState = this.stateChanged.event;
  private readonly serverChanged = new vscode.EventEmitter<ServerChange>();
  /** An action of ours changed a server (a publish, a purge, an import, a consumer made or deleted, a tail stopped): the tree re-reads it. */
  readonly onDidChangeServer = this.serverChanged.event;
  readonly vault: SecretVault;
  private list: ConnectionEntry[] = [];
  private managerPromise: Promise<ConnectionManager> | undefined;
  private manager: ConnectionManager | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Per connection, what lives as long as its session (a tail, a poll): disposed when it disconnects or goes. */
  private readonly scopes = new Map<string, vscode.Disposable[]>();

  constructor(private readonly context: vscode.ExtensionContext, private readonly env: NodeJS.ProcessEnv = process.env) {
    this.vault = new SecretVault(context.secrets);
    this.disposables.push(this.changed, this.stateChanged, this.serverChanged, onSettingsChange(['connections'], () => void this.reload()));
    void this.reload();
  }

  /** Keeps `d` until connection `id` disconnects, fails or is removed, then disposes it. */
  addToScope(id: string, d: vscode.Disposable): vscode.Disposable {
    const list = this.scopes.get(id) ?? [];
    list.push(d);
    this.scopes.set(id, list);
    return { dispose: () => { const i = list.indexOf(d); if (i >= 0) list.splice(i, 1); d.dispose(); } };
  }

  private endScope(id: string): void {
    const list = this.scopes.get(id);
    this.scopes.delete(id);
    for (const d of list ?? []) {
      try {
        d.dispose();
      } catch (e) {
        log().warn(`ending connection ${id}'s work: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  /** Says that an action of ours changed what connection `id`'s server holds (its streams, when known). */
  didChangeServer(change: ServerChange): void {
    this.serverChanged.fire(change);
  }

  entries(): readonly ConnectionEntry[] {
    return this.list;
  }

  entry(id: string): ConnectionEntry | undefined {
    return this.list.find(e => e.id === id);
  }

  state(id: string): ConnectionState {
    return this.manager?.state(id) ?? { kind: 'idle' };
  }

  /** The open session of a connection, or undefined without connecting. */
  current(id: string): NatsSession | undefined {
    return this.manager?.current(id);
  }

  /** What connecting takes, secrets included, for a connection of its own (a tail's worker thread); never logged. */
  async connectOptions(id: string, purpose: string): Promise<NatsConnectOptions> {
    return (await this.loadManager()).connectOptions(id, purpose);
  }

  /** The session, connecting first when needed (the NATS client loads here on first use). */
  async session(id: string): Promise<NatsSession> {
    return (await this.loadManager()).session(id);
  }

  async disconnect(id: string): Promise<void> {
    await this.manager?.disconnect(id);
  }

  /** The connection the status bar shows and commands use when none is named. */
  activeId(): string | undefined {
    const saved = this.context.workspaceState.get<string>(ACTIVE_KEY);
    if (saved && this.entry(saved)) return saved;
    return this.list.find(e => this.state(e.id).kind === 'connected')?.id ?? this.list[0]?.id;
  }

  async setActive(id: string): Promise<void> {
    await this.context.workspaceState.update(ACTIVE_KEY, id);
    this.changed.fire();
  }

  /** Adds or replaces (by `previousName`) a connection in the user's settings; the secret goes to SecretStorage. */
  async save(config: ConnectionInput, secret?: string, previousName?: string): Promise<ConnectionConfig> {
    const parsed = ConnectionSchema.parse(config);
    const cfg = vscode.workspace.getConfiguration('cimNats');
    const current = (cfg.get<unknown[]>('connections') ?? []).filter(c => {
      const name = (c as { name?: unknown }).name;
      return name !== parsed.name && name !== previousName;
    });
    if (previousName && previousName !== parsed.name) {
      const old = this.list.find(e => e.origin === 'settings' && e.config.name === previousName);
      if (old) await this.vault.forget(old.config, old.id);
    }
    if (secret !== undefined) await this.vault.set(parsed, secret);
    await cfg.update('connections', [...current, stripDefaults(parsed)], vscode.ConfigurationTarget.Global);
    await this.reload();
    return parsed;
  }

  async remove(entry: ConnectionEntry): Promise<void> {
    const cfg = vscode.workspace.getConfiguration('cimNats');
    const inspect = cfg.inspect<unknown[]>('connections');
    const without = (list: unknown[] | undefined) => list?.filter(c => (c as { name?: unknown }).name !== entry.config.name);
    // Wherever the connection is defined: user, workspace or folder settings.
    if (inspect?.globalValue) await cfg.update('connections', without(inspect.globalValue), vscode.ConfigurationTarget.Global);
    if (inspect?.workspaceValue) await cfg.update('connections', without(inspect.workspaceValue), vscode.ConfigurationTarget.Workspace);
    await this.vault.forget(entry.config, entry.id);
    await this.reload();
  }

  /** Re-reads settings and the environment. */
  async reload(): Promise<void> {
    const next: ConnectionEntry[] = settingsFor().connections.map(config => ({ id: `settings:${config.name}`, config, origin: 'settings' as const }));
    const fromEnv = await this.environmentEntry();
    if (fromEnv) next.unshift(fromEnv);
    for (const id of this.scopes.keys()) if (!next.some(e => e.id === id)) this.endScope(id);
    this.list = next;
    this.manager?.setEntries(next);
    this.changed.fire();
  }

  /** NATS_URL (with NATS_USER / NATS_PASS / NATS_CREDS …), or the natscli context NATS_CONTEXT names. */
  private async environmentEntry(): Promise<ConnectionEntry | undefined> {
    const fromUrl = connectionFromEnvironment(this.env);
    if (fromUrl) {
      if (fromUrl.secret !== undefined) this.vault.remember(ENVIRONMENT_ID, fromUrl.secret);
      return { id: ENVIRONMENT_ID, config: fromUrl.config, origin: 'environment' };
    }
    const contextName = this.env.NATS_CONTEXT?.trim();
    if (!contextName) return undefined;
    const file = vscode.Uri.file(`${natsConfigDir(this.env, os.homedir())}/context/${contextName}.json`);
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      const r = parseNatsContext(contextName, text, this.env.HOME);
      if (!r.ok) throw new Error(r.problem);
      if (r.context.secret !== undefined) this.vault.remember(ENVIRONMENT_ID, r.context.secret);
      const environment = this.env.CIM_ENVIRONMENT?.trim();
      return { id: ENVIRONMENT_ID, config: { ...r.context.config, ...(environment ? { environment } : {}) }, origin: 'environment' };
    } catch (e) {
      log().warn(`NATS_CONTEXT names "${contextName}", which cannot be used: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  private loadManager(): Promise<ConnectionManager> {
    this.managerPromise ??= natsRuntime().then(rt => {
      const manager = new rt.ConnectionManager({
        resolve: async entry => rt.connectOptionsFor(entry.config, await this.vault.get(entry)),
        log: line => log().info(line),
        reconnectWaitMs: 1000,
      });
      manager.setEntries(this.list);
      manager.onDidChange(event => {
        // a refused password is not kept: the next connect asks again
        if (event.state.kind === 'failed' && /^Wrong (user or password|token)/.test(event.state.reason)) {
          const entry = this.entry(event.id);
          if (entry?.origin === 'settings') void this.vault.forget(entry.config);
        }
        if (event.state.kind === 'idle' || event.state.kind === 'failed') this.endScope(event.id);
        this.stateChanged.fire(event);
      });
      this.manager = manager;
      return manager;
    });
    return this.managerPromise;
  }

  dispose(): void {
    for (const id of [...this.scopes.keys()]) this.endScope(id);
    void this.manager?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** What goes into settings.json: no default-valued noise. */
function stripDefaults(c: ConnectionConfig): ConnectionInput {
  const out: Record<string, unknown> = { ...c };
  if (!c.protected) delete out.protected;
  if (!c.readOnly) delete out.readOnly;
  for (const [k, v] of Object.entries(out)) if (v === undefined || v === '') delete out[k];
  return out as ConnectionInput;
}
