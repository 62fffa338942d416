// Running .nats playbooks: a CodeLens per block (Publish, Request, Tail) and Run All at the top, a key for the block
// under the cursor, results in the "CIM NATS: Playbook" channel; production subjects and protected connections ask first,
// a read-only connection refuses PUB. Other commands (Publish Sample Event) send through the same path.
import * as vscode from 'vscode';
import { parsePlaybook } from '../../core/playbook/parser';
import type { Playbook, PlaybookBlock } from '../../core/playbook/types';
import type { ConnectionEntry } from '../../nats/connection/manager';
import type { BlockResult, PlaybookRunner } from '../../nats/publish/playbookRunner';
import type { AlgebraService } from '../algebraService';
import { registerCommand } from '../commands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { natsRuntime } from '../natsRuntime';
import { settingsFor } from '../settings';
import type { TailManager } from '../tail/tailManager';

export const PLAYBOOK_COMMANDS = {
  runBlock: 'cimNats.playbook.runBlock',
  runAll: 'cimNats.playbook.runAll',
  runAtCursor: 'cimNats.playbook.runAtCursor',
} as const;

const VERB_LENS: Record<string, string> = { PUB: '$(play) Publish', REQ: '$(arrow-swap) Request', SUB: '$(pulse) Tail' };

class PlaybookLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const playbook = parsePlaybook(doc.getText());
    const lenses: vscode.CodeLens[] = [];
    const runnable = playbook.blocks.filter(b => b.verb);
    if (runnable.length > 1) lenses.push(new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: `$(run-all) Run all (${runnable.length} blocks)`, command: PLAYBOOK_COMMANDS.runAll, arguments: [doc.uri] }));
    playbook.blocks.forEach((block, index) => {
      if (!block.verb) return;
      const at = doc.positionAt(block.verbRange.start);
      const range = new vscode.Range(at, at);
      const errors = blockProblems(playbook, block);
      lenses.push(errors.length
        // a block with errors does not run: the lens says why
        ? new vscode.CodeLens(range, { title: `$(error) ${errors[0]}${errors.length > 1 ? ` (+${errors.length - 1})` : ''}`, command: 'workbench.actions.view.problems' })
        : new vscode.CodeLens(range, { title: VERB_LENS[block.verb] ?? block.verb, command: PLAYBOOK_COMMANDS.runBlock, arguments: [doc.uri, index] }));
    });
    return lenses;
  }

  refresh(): void {
    this.changed.fire();
  }
}

function blockProblems(playbook: Playbook, block: PlaybookBlock): string[] {
  return playbook.problems
    .filter(p => p.severity === 'error' && p.start >= block.range.start && p.start < block.range.end)
    .map(p => p.message);
}

/** Scripted answers (tests, other commands): `confirmed` answers the uncaptured, production and protected questions without a modal. */
export interface SendAnswers {
  confirmed?: boolean;
}

/** The lenses' send path for other commands: one PUB or REQ block on a connection, asked and refused as a lens would be. */
export interface PlaybookSender {
  sendBlock(entryId: string, playbook: Playbook, block: PlaybookBlock, answers?: SendAnswers): Promise<BlockResult>;
}

export function registerPlaybookCommands(context: vscode.ExtensionContext, registry: ConnectionRegistry, algebraService: AlgebraService, tails: TailManager): PlaybookSender {
  const lenses = new PlaybookLensProvider();
  const channel = vscode.window.createOutputChannel('CIM NATS: Playbook');
  const runners = new Map<string, PlaybookRunner>();
  context.subscriptions.push(channel, vscode.languages.registerCodeLensProvider({ language: 'nats' }, lenses),
    registry.onDidChangeState(e => {
      if (e.state.kind !== 'connected') {
        runners.get(e.id)?.dispose();
        runners.delete(e.id);
      }
    }));

  /** The connection a playbook names with `@connection = NAME`, or the active one. */
  const connectionFor = (playbook: Playbook) => {
    const named = playbook.variables.find(v => v.name === 'connection')?.value.trim();
    const entry = named ? registry.entries().find(e => e.config.name === named || e.id === named) : registry.entry(registry.activeId() ?? '');
    if (!entry) throw new Error(named ? `The playbook names the connection "${named}", which does not exist: add it, or fix @connection.` : 'There is no NATS connection: add one in the JetStream view (or start VS Code with NATS_URL).');
    return entry;
  };

  const runnerFor = async (entryId: string) => {
    const rt = await natsRuntime();
    const session = await registry.session(entryId);
    let runner = runners.get(entryId);
    if (!runner || runner.session !== session) {
      runner?.dispose();
      const entry = registry.entry(entryId)!;
      runner = new rt.PlaybookRunner(session, {
        algebra: (await algebraService.algebraFor()).algebra,
        environment: entry.config.environment ?? settingsFor()['playbook.defaultEnvironment'],
        protected: entry.config.protected,
      });
      runners.set(entryId, runner);
    }
    return runner;
  };

  const askPublish = async (sentence: string) => (await vscode.window.showWarningMessage(sentence, { modal: true }, 'Publish')) === 'Publish';

  /** One PUB or REQ block: refused on a read-only connection, warned when nothing stores it, production and protected asked; undefined when the warning was declined. */
  const sendOne = async (entry: ConnectionEntry, playbook: Playbook, block: PlaybookBlock, title: string, answers: SendAnswers): Promise<BlockResult | undefined> => {
    if (block.verb === 'PUB' && entry.config.readOnly) {
      return { kind: 'failed', subject: block.subject, reason: `${entry.config.name} is a read-only connection: publishing is not allowed through it (clear "readOnly" in its settings to allow it).` };
    }
    const runner = await runnerFor(entry.id);
    const prepared = runner.prepare(playbook, block);
    if ('kind' in prepared && prepared.kind === 'invalid') return prepared;
    if (block.verb === 'PUB' && settingsFor()['publish.warnUncaptured'] && 'subject' in prepared) {
      const capture = await runner.capturingStream(prepared.subject);
      if (capture.known && !capture.stream) {
        const go = answers.confirmed ?? (await vscode.window.showWarningMessage(`No stream on ${entry.config.name} stores ${prepared.subject}: the message will be sent, and nothing will keep it.`, { modal: true }, 'Send Anyway')) === 'Send Anyway';
        if (!go) return undefined;
      }
    }
    const confirm = answers.confirmed === undefined ? askPublish : () => answers.confirmed === true;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${title} on ${entry.config.name}`, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await runner.runBlock(playbook, block, { signal: abort.signal, confirm, onProgress: p => p.total > 1 && progress.report({ increment: 100 / p.total, message: `${p.done} of ${p.total}` }) });
      } finally {
        sub.dispose();
      }
    });
  };

  const run = async (uri: vscode.Uri, select: (b: PlaybookBlock, i: number) => boolean) => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const playbook = parsePlaybook(doc.getText());
    const entry = connectionFor(playbook);
    const results: BlockResult[] = [];
    channel.show(true);
    for (const [index, block] of playbook.blocks.entries()) {
      if (!block.verb || !select(block, index)) continue;
      const title = block.title ?? `block ${index + 1}`;
      if (block.verb === 'SUB') {
        // the pattern as the send would resolve it: the block's variables and the connection's {{env}}
        const prepared = (await runnerFor(entry.id)).prepare(playbook, block);
        if ('kind' in prepared) {
          results.push(prepared);
          channel.appendLine(`${title}: ${describeResult(prepared)}`);
          continue;
        }
        const pattern = prepared.subject;
        await tails.start(entry.id, pattern);
        results.push({ kind: 'skipped-sub', pattern });
        channel.appendLine(`${title}: tailing ${pattern} in its own channel`);
        continue;
      }
      const result = await sendOne(entry, playbook, block, title, {});
      if (!result) {
        channel.appendLine(`${title}: not sent (no stream stores it; you declined)`);
        continue;
      }
      results.push(result);
      channel.appendLine(`${title}: ${describeResult(result)}`);
    }
    const first = results[0];
    if (results.length === 1 && first) notify(first);
    return results;
  };

  registerCommand(context, PLAYBOOK_COMMANDS.runBlock, (uri: vscode.Uri, index: number) => run(uri, (_b, i) => i === index));
  registerCommand(context, PLAYBOOK_COMMANDS.runAll, (uri?: vscode.Uri) => {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) throw new Error('Open a .nats playbook first.');
    return run(target, () => true);
  });
  registerCommand(context, PLAYBOOK_COMMANDS.runAtCursor, () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'nats') throw new Error('Put the cursor in a block of a .nats playbook.');
    const offset = editor.document.offsetAt(editor.selection.active);
    return run(editor.document.uri, b => offset >= b.range.start && offset <= b.range.end);
  });
  context.subscriptions.push(vscode.workspace.onDidChangeTextDocument(e => e.document.languageId === 'nats' && lenses.refresh()));

  return {
    async sendBlock(entryId, playbook, block, answers = {}) {
      const entry = registry.entry(entryId);
      if (!entry) throw new Error('That connection no longer exists: pick another one.');
      const title = block.title ?? block.subject;
      channel.show(true);
      const result = await sendOne(entry, playbook, block, title, answers)
        ?? { kind: 'declined', subject: block.subject, reason: `Not sent: no stream on ${entry.config.name} stores "${block.subject}", and sending anyway was declined.` };
      channel.appendLine(`${title}: ${describeResult(result)}`);
      notify(result);
      return result;
    },
  };
}

/** The one notification a single result gets. */
function notify(result: BlockResult): void {
  const text = describeResult(result);
  if (isFailure(result)) void vscode.window.showErrorMessage(text);
  // sent, most likely stored, but not confirmed: neither a success nor a failure
  else if (result.kind === 'sent-unacknowledged') void vscode.window.showWarningMessage(text);
  else void vscode.window.showInformationMessage(text);
}

function isFailure(r: BlockResult): boolean {
  return r.kind === 'failed' || r.kind === 'invalid' || (r.kind === 'repeated' && r.summary.failed > 0);
}

/** One line per result, as the channel and the notification say it. */
export function describeResult(r: BlockResult): string {
  switch (r.kind) {
    case 'stored': return `stored in ${r.stream} at seq ${r.seq}${r.duplicate ? ' — duplicate: the server saw this Nats-Msg-Id inside its window and kept the first' : ''}${r.warning ? ` (${r.warning})` : ''}`;
    case 'sent-core': return `sent as a core publish: ${r.warning}`;
    case 'sent-unacknowledged': return r.reason;
    case 'reply': return `reply in ${r.ms} ms: ${r.data.slice(0, 2000)}`;
    case 'failed': return `not sent — ${r.reason}`;
    case 'invalid': return `not sent — ${r.reason}`;
    case 'declined': return `not sent — ${r.reason}`;
    case 'skipped-sub': return `tailing ${r.pattern}`;
    case 'messages': return `${r.messages.length} messages on ${r.pattern}`;
    case 'repeated': return `${r.sent} of ${r.count} sent: ${r.summary.stored} stored, ${r.summary.duplicates} duplicates, ${r.summary.failed} failed${r.reason ? ` — ${r.reason}` : ''}`;
  }
}
