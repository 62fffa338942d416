// Passwords, tokens and NKey seeds: only in SecretStorage, asked for when first needed with a hidden prompt.
import * as vscode from 'vscode';
import { NatsUserError } from '../../nats/errors/userError';
import { secretKind, type ConnectionConfig } from '../../core/connections/schema';
import type { ConnectionEntry } from '../../nats/connection/manager';
import { log } from '../platform/log';

const PROMPTS = {
  password: (c: ConnectionConfig) => `Password of ${c.user ?? 'the user'} on ${c.name}`,
  token: (c: ConnectionConfig) => `Token for ${c.name}`,
  nkeySeed: (c: ConnectionConfig) => `NKey seed (SU…) for ${c.name}`,
} as const;

export class SecretVault {
  /** Secrets the environment gave (NATS_PASS, NATS_TOKEN): they already live in the process, so memory only. */
  private readonly memory = new Map<string, string>();

  constructor(private readonly storage: vscode.SecretStorage) {}

  static key(name: string, kind: string): string {
    return `cimNats.connection/${name}/${kind}`;
  }

  remember(entryId: string, secret: string): void {
    this.memory.set(entryId, secret);
  }

  /** The entry's secret: from memory, SecretStorage, or the user; rejects with a sentence when the user cancels. */
  async get(entry: ConnectionEntry): Promise<string | undefined> {
    const kind = secretKind(entry.config);
    if (!kind) return undefined;
    const inMemory = this.memory.get(entry.id);
    if (inMemory !== undefined) return inMemory;
    const key = SecretVault.key(entry.config.name, kind);
    let stored: string | undefined;
    let storageWorks = true;
    try {
      stored = await this.storage.get(key);
    } catch (e) {
      storageWorks = false;
      log().warn(`SecretStorage is unavailable (${e instanceof Error ? e.message : String(e)}): secrets are asked for each time and kept nowhere.`);
    }
    if (stored !== undefined) return stored;
    const value = await vscode.window.showInputBox({
      title: PROMPTS[kind](entry.config),
      prompt: storageWorks ? 'Kept in VS Code\'s secret storage, never in settings or logs.' : 'VS Code\'s secret storage is unavailable: this is kept nowhere, and asked for again next time.',
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) throw new NatsUserError(`Connecting to ${entry.config.name} needs its ${kind === 'nkeySeed' ? 'NKey seed' : kind}: connect again and enter it.`);
    if (storageWorks) await this.store(entry.config.name, kind, value);
    return value;
  }

  async set(config: ConnectionConfig, value: string): Promise<void> {
    const kind = secretKind(config);
    if (kind) await this.store(config.name, kind, value);
  }

  /** Forgets a stored secret: after a wrong password, or when its connection is removed. */
  async forget(config: ConnectionConfig, entryId?: string): Promise<void> {
    if (entryId) this.memory.delete(entryId);
    for (const kind of ['password', 'token', 'nkeySeed']) {
      await Promise.resolve(this.storage.delete(SecretVault.key(config.name, kind))).catch(() => undefined);
    }
  }

  /** No fallback when SecretStorage fails: the secret is then kept nowhere and asked for again. */
  private async store(name: string, kind: string, value: string): Promise<void> {
    try {
      await this.storage.store(SecretVault.key(name, kind), value);
    } catch (e) {
      log().warn(`SecretStorage could not keep the ${kind} of ${name} (${e instanceof Error ? e.message : String(e)}): it will be asked for again.`);
    }
  }
}
