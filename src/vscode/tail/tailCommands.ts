// Tail commands: start one from the tree, a prompt or a caller's pattern; stop one or all; copy one of a tail's recent
// messages as a .nats PUB block (the formatter View Messages copies with).
import * as vscode from 'vscode';
import { messageAsNatsBlock, messageTitle } from '../../core/message/format';
import { parseSince } from '../../core/message/since';
import type { ViewedMessage } from '../../core/message/types';
import { isValidPattern } from '../../core/pattern/tokens';
import type { TailFrom } from '../../nats/tail/tail';
import { registerCommand } from '../platform/commands';
import { resolveEntry } from '../connections/connectionCommands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { ExplorerNode } from '../explorer/nodes';
import { STOP_TAIL, type TailManager } from './tailManager';
import { COMMANDS } from '../platform/commandIds';

export const TAIL_COMMANDS = { start: COMMANDS.tailStart, stop: STOP_TAIL, stopAll: COMMANDS.tailStopAll, copyAsPlaybook: COMMANDS.tailCopyAsPlaybook } as const;

/** Scripted use (and tests) of Copy a Tail Message: the tail by id, the newest message (of `subject`, when given). */
export interface CopyTailArgs {
  tail?: number;
  subject?: string;
}

/** Scripted use (and tests): `{ connection, pattern, from }` skips the prompts. */
export interface TailArgs {
  connection?: string;
  pattern?: string;
  from?: TailFrom | { since: string } | 'live';
}

export function registerTailCommands(context: vscode.ExtensionContext, registry: ConnectionRegistry, tails: TailManager): void {
  registerCommand(context, TAIL_COMMANDS.start, async (arg?: unknown, scripted?: TailArgs) => {
    const node = arg && typeof arg === 'object' && 'kind' in arg ? (arg as ExplorerNode) : undefined;
    const args: TailArgs = scripted ?? (arg && typeof arg === 'object' && !node ? (arg as TailArgs) : typeof arg === 'string' ? { pattern: arg } : {});
    const fromNode = node?.kind === 'stream' ? node.stream.subjects[0]
      : node?.kind === 'consumer' ? node.consumer.filterSubjects[0]
      : node?.kind === 'eventType' ? `${node.prefix}.${node.type.aggregate}.${node.type.event}.>`
      : undefined;
    const entry = await resolveEntry(registry, args.connection ?? node, 'Tail on which connection?');
    if (!entry) return undefined;
    const pattern = args.pattern ?? (await vscode.window.showInputBox({
      title: 'Tail which subjects?',
      prompt: 'A subject or pattern, e.g. dev.domain.sales.>',
      value: fromNode ?? `${entry.config.environment ?? 'dev'}.domain.>`,
      ignoreFocusOut: true,
      validateInput: v => (isValidPattern(v.trim()) ? undefined : 'Enter a subject or pattern (tokens split by dots; * and > only as whole tokens, > last).'),
    }))?.trim();
    if (!pattern) return undefined;
    if (!isValidPattern(pattern)) throw new Error(`"${pattern}" is not a subject or pattern (tokens split by dots; * and > only as whole tokens, > last).`);
    const from = args.from !== undefined ? toFrom(args.from) : await pickFrom();
    if (from === null) return undefined;
    return tails.start(entry.id, pattern, from);
  });

  registerCommand(context, TAIL_COMMANDS.stop, async (which?: number) => {
    const all = tails.list();
    if (all.length === 0) {
      void vscode.window.showInformationMessage('No tail is running.');
      return 0;
    }
    const target = typeof which === 'number' ? all.find(t => t.id === which) : undefined;
    if (target) {
      await tails.stop(target);
      return 1;
    }
    const pick = await vscode.window.showQuickPick([
      ...all.map(t => ({ label: t.pattern, description: registry.entry(t.entryId)?.config.name ?? '', tail: t })),
      { label: '$(stop-circle) Stop all tails', tail: undefined },
    ], { title: 'Stop which tail?' });
    if (!pick) return 0;
    if (pick.tail) {
      await tails.stop(pick.tail);
      return 1;
    }
    return tails.stopAll();
  });

  registerCommand(context, TAIL_COMMANDS.stopAll, () => tails.stopAll());

  registerCommand(context, TAIL_COMMANDS.copyAsPlaybook, async (arg?: number | CopyTailArgs) => {
    const args: CopyTailArgs | undefined = typeof arg === 'number' ? { tail: arg } : arg && typeof arg === 'object' ? arg : undefined;
    const all = tails.list();
    if (all.length === 0) throw new Error('No tail is running: start one with CIM NATS: Tail Subjects…, then copy one of its messages.');
    const tail = args?.tail !== undefined ? all.find(t => t.id === args.tail)
      : all.length === 1 ? all[0]
      : (await vscode.window.showQuickPick(all.map(t => ({ label: t.pattern, description: `${t.recent.length} recent · ${registry.entry(t.entryId)?.config.name ?? ''}`, tail: t })), { title: 'Copy a message of which tail?' }))?.tail;
    if (!tail) {
      if (args?.tail !== undefined) throw new Error(`Tail ${args.tail} is no longer running: pick a running one.`);
      return undefined;
    }
    const recent = tail.recent;
    if (recent.length === 0) throw new Error(`The tail of ${tail.pattern} has shown no message yet: wait for one, then copy it.`);
    let message: ViewedMessage | undefined;
    if (args) {
      message = [...recent].reverse().find(m => args.subject === undefined || m.subject === args.subject);
      if (!message) throw new Error(`The tail of ${tail.pattern} has shown no message on ${args.subject} among its last ${recent.length}: publish one, or pick another.`);
    } else {
      const pick = await vscode.window.showQuickPick([...recent].reverse().map(m => ({ label: m.subject, description: messageTitle(m).replace(`  ${m.subject}`, ''), message: m })), {
        title: `Copy which message of ${tail.pattern} as a .nats PUB block? (the last ${recent.length} shown, newest first)`,
        matchOnDescription: true,
      });
      message = pick?.message;
    }
    if (!message) return undefined;
    const block = messageAsNatsBlock(message);
    await vscode.env.clipboard.writeText(block);
    void vscode.window.showInformationMessage(`Copied ${message.subject} as a .nats PUB block: paste it into a playbook to send it again.`);
    return block;
  });
}

function toFrom(from: NonNullable<TailArgs['from']>): TailFrom | undefined {
  if (from === 'live') return undefined;
  if ('since' in from && typeof from.since === 'string') {
    const r = parseSince(from.since);
    if (!r.ok) throw new Error(r.problem);
    return { since: r.since };
  }
  return from as TailFrom;
}

/** undefined: live only; null: cancelled. */
async function pickFrom(): Promise<TailFrom | undefined | null> {
  const pick = await vscode.window.showQuickPick([
    { label: 'Live only', description: 'a core subscription', id: 'live' },
    { label: 'The last N, then live…', description: 'from the stream that stores the pattern', id: 'last' },
    { label: 'Since a time, then live…', description: '5m, 2h, an ISO time', id: 'since' },
    { label: 'From a sequence, then live…', id: 'seq' },
  ], { title: 'Start the tail from', ignoreFocusOut: true });
  if (!pick) return null;
  if (pick.id === 'live') return undefined;
  const v = await vscode.window.showInputBox({
    title: pick.label.replace('…', ''),
    ignoreFocusOut: true,
    validateInput: t => (pick.id === 'since' ? (parseSince(t).ok ? undefined : (parseSince(t) as { problem: string }).problem) : /^\d+$/.test(t.trim()) && Number(t) > 0 ? undefined : 'Enter a whole number above 0.'),
  });
  if (!v) return null;
  if (pick.id === 'since') return toFrom({ since: v });
  return pick.id === 'last' ? { last: Number(v) } : { seq: Number(v) };
}
