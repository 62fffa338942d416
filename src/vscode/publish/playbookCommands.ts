// Running .nats playbooks: a CodeLens per block (Publish, Request, Tail) and Run All at the top, a key for the block
// under the cursor, results in the "CIM NATS: Playbook" channel; production subjects and protected connections ask first,
// a read-only connection refuses PUB. Other commands (Publish Sample Event) send through the same path.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { parsePlaybook } from '../../core/playbook/parser';
import { describeResult, type ResultWords } from '../../core/playbook/describeResult';
import { reachedServer, streamsOf, type BlockResult } from '../../core/playbook/results';
import { blockRefOf, findBlock, type BlockRef } from '../../core/playbook/blockRef';
import { prepareBlock } from '../../core/playbook/rules';
import type { Playbook, PlaybookBlock } from '../../core/playbook/types';
import type { ConnectionEntry } from '../../nats/connection/manager';
import type { PlaybookRunner } from '../../nats/publish/playbookRunner';
import type { AlgebraService } from '../algebraService';
import { registerCommand } from '../platform/commands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { natsRuntime } from '../platform/natsRuntime';
import { settingsFor } from '../platform/configuration';
import type { TailManager } from '../tail/tailManager';
import { COMMANDS } from '../platform/commandIds';

export const PLAYBOOK_COMMANDS = {
  runBlock: COMMANDS.playbookRunBlock,
  runAll: COMMANDS.playbookRunAll,
  runAtCursor: COMMANDS.playbookRunAtCursor,
} as const;

const VERB_LENS: Record<string, string> = { PUB: '$(play) Publish', REQ: '$(arrow-swap) Request', SUB: '$(pulse) Tail' };
const SHOW_RESULTS = 'Show Results';

class PlaybookLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly algebraService: AlgebraService, private readonly environmentOf: (playbook: Playbook) => string) {}

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const text = doc.getText();
    const playbook = parsePlaybook(text);
    const { algebra } = await this.algebraService.algebraFor(doc.uri);
    // the same question the runner asks before it sends: a lens that says Publish is a block that will be sent
    const builtins = { env: this.environmentOf(playbook), uuid: randomUUID, now: () => new Date().toISOString() };
    const lenses: vscode.CodeLens[] = [];
    const runnable = playbook.blocks.filter(b => b.verb);
    if (runnable.length > 1) lenses.push(new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: `$(run-all) Run all (${runnable.length} blocks)`, command: PLAYBOOK_COMMANDS.runAll, arguments: [doc.uri] }));
    playbook.blocks.forEach((block, index) => {
      if (!block.verb) return;
      const at = doc.positionAt(block.verbRange.start);
      const range = new vscode.Range(at, at);
      const prepared = prepareBlock(playbook, block, algebra, builtins);
      if ('kind' in prepared) {
        // a block with errors does not run: the lens says why
        const more = prepared.problems.length > 1 ? ` (+${prepared.problems.length - 1})` : '';
        lenses.push(new vscode.CodeLens(range, { title: `$(error) ${prepared.reason}${more}`, command: 'workbench.actions.view.problems' }));
        return;
      }
      const ref = blockRefOf(text, playbook, index);
      lenses.push(new vscode.CodeLens(range, { title: VERB_LENS[block.verb] ?? block.verb, command: PLAYBOOK_COMMANDS.runBlock, arguments: [doc.uri, ref] }));
    });
    return lenses;
  }

  refresh(): void {
    this.changed.fire();
  }
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
  const channel = vscode.window.createOutputChannel('CIM NATS: Playbook');
  const runners = new Map<string, PlaybookRunner>();

  /** The connection a playbook names with `@connection = NAME`, or the active one. */
  const connectionFor = (playbook: Playbook) => {
    const named = playbook.variables.find(v => v.name === 'connection')?.value.trim();
    const entry = named ? registry.entries().find(e => e.config.name === named || e.id === named) : registry.entry(registry.activeId() ?? '');
    if (!entry) throw new Error(named ? `The playbook names the connection "${named}", which does not exist: add it, or fix @connection.` : 'There is no NATS connection: add one in the JetStream view (or start VS Code with NATS_URL).');
    return entry;
  };
  const environmentOf = (entry: ConnectionEntry | undefined) => entry?.config.environment ?? settingsFor()['playbook.defaultEnvironment'];
  const lensEnvironment = (playbook: Playbook) => {
    try {
      return environmentOf(connectionFor(playbook));
    } catch {
      return environmentOf(undefined);
    }
  };

  const lenses = new PlaybookLensProvider(algebraService, lensEnvironment);
  context.subscriptions.push(channel, vscode.languages.registerCodeLensProvider({ language: 'nats' }, lenses),
    registry.onDidChangeState(e => {
      if (e.state.kind !== 'connected') {
        runners.get(e.id)?.dispose();
        runners.delete(e.id);
      }
    }),
    registry.onDidChangeEntries(() => lenses.refresh()));

  const runnerFor = async (entryId: string) => {
    const rt = await natsRuntime();
    const session = await registry.session(entryId);
    let runner = runners.get(entryId);
    if (!runner || runner.session !== session) {
      runner?.dispose();
      const entry = registry.entry(entryId)!;
      runner = new rt.PlaybookRunner(session, {
        algebra: (await algebraService.algebraFor()).algebra,
        environment: environmentOf(entry),
        protected: entry.config.protected,
      });
      runners.set(entryId, runner);
    }
    return runner;
  };

  const askPublish = async (sentence: string) => (await vscode.window.showWarningMessage(sentence, { modal: true }, 'Publish')) === 'Publish';

  /** The explorer re-reads what a send changed. */
  const changedBy = (entry: ConnectionEntry, result: BlockResult) => {
    if (reachedServer(result)) registry.didChangeServer({ connectionId: entry.id, streams: streamsOf(result), reason: 'publish' });
  };

  /** One PUB or REQ block: refused on a read-only connection, warned when nothing stores it, production and protected asked; undefined when the warning was declined. */
  const sendOne = async (entry: ConnectionEntry, playbook: Playbook, block: PlaybookBlock, title: string, answers: SendAnswers): Promise<BlockResult | undefined> => {
    if (block.verb === 'PUB' && entry.config.readOnly) {
      return { kind: 'failed', subject: block.subject, reason: `${entry.config.name} is a read-only connection: publishing is not allowed through it (clear "readOnly" in its settings to allow it).` };
    }
    const runner = await runnerFor(entry.id);
    const prepared = runner.prepare(playbook, block);
    if ('kind' in prepared) return prepared;
    if (block.verb === 'PUB' && settingsFor()['publish.warnUncaptured']) {
      const capture = await runner.capturingStream(prepared.subject);
      if (capture.known && !capture.stream) {
        const go = answers.confirmed ?? (await vscode.window.showWarningMessage(`No stream on ${entry.config.name} stores ${prepared.subject}: the message will be sent, and nothing will keep it.`, { modal: true }, 'Send Anyway')) === 'Send Anyway';
        if (!go) return undefined;
      }
    }
    const confirm = answers.confirmed === undefined ? askPublish : () => answers.confirmed === true;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${title} on ${entry.config.name}`, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await runner.runBlock(playbook, block, { signal: abort.signal, confirm, onProgress: p => p.total > 1 && progress.report({ increment: 100 / p.total, message: `${p.done} of ${p.total}` }) });
      } finally {
        sub.dispose();
      }
    });
    changedBy(entry, result);
    return result;
  };

  /** A result in the channel; the channel is not brought forward (it would take the panel from a tail being watched). */
  const record = (title: string, result: BlockResult): ResultWords => {
    const words = describeResult(result);
    channel.appendLine(`${title}: ${words.line}`);
    for (const l of words.details) channel.appendLine(l);
    return words;
  };

  const run = async (uri: vscode.Uri, select: (b: PlaybookBlock, i: number) => boolean) => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const playbook = parsePlaybook(doc.getText());
    return runBlocks(playbook, select);
  };

  const runBlocks = async (playbook: Playbook, select: (b: PlaybookBlock, i: number) => boolean) => {
    const entry = connectionFor(playbook);
    const results: BlockResult[] = [];
    const said: ResultWords[] = [];
    for (const [index, block] of playbook.blocks.entries()) {
      if (!block.verb || !select(block, index)) continue;
      const title = block.title ?? `block ${index + 1}`;
      if (block.verb === 'SUB') {
        // the pattern as the send would resolve it: the block's variables and the connection's {{env}}
        const prepared = (await runnerFor(entry.id)).prepare(playbook, block);
        if ('kind' in prepared) {
          results.push(prepared);
          said.push(record(title, prepared));
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
      said.push(record(title, result));
    }
    if (said.length === 1) notify(said[0]!);
    else if (said.length > 1) notifyMany(said);
    return results;
  };

  const notify = (words: ResultWords) => void show(words.severity, toastText(words));
  const notifyMany = (said: ResultWords[]) => {
    const worst = said.some(w => w.severity === 'error') ? 'error' : said.some(w => w.severity === 'warning') ? 'warning' : 'info';
    const problems = said.filter(w => w.severity !== 'info').length;
    const text = problems ? `${problems} of ${said.length} blocks need a look: ${toastText(said.find(w => w.severity === worst)!)}` : `${said.length} blocks sent.`;
    void show(worst, text);
  };
  const show = async (severity: ResultWords['severity'], text: string) => {
    const say = severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    // the results channel comes forward only when asked: never over a tail the user is watching
    if ((await say(text, SHOW_RESULTS)) === SHOW_RESULTS) channel.show(true);
  };

  registerCommand(context, PLAYBOOK_COMMANDS.runBlock, async (uri: vscode.Uri, ref: BlockRef) => {
    if (typeof ref !== 'object' || ref === null || typeof ref.index !== 'number') throw new Error('Run a block with its Publish, Request or Tail lens, or put the cursor in it and run "Run Block at Cursor".');
    const doc = await vscode.workspace.openTextDocument(uri);
    const text = doc.getText();
    const playbook = parsePlaybook(text);
    const block = findBlock(text, playbook, ref);
    if (typeof block === 'string') {
      const result: BlockResult = { kind: 'changed', reason: block };
      notify(record(`block ${ref.index + 1}`, result));
      lenses.refresh();
      return [result];
    }
    return runBlocks(playbook, b => b === block);
  });
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
      const result = await sendOne(entry, playbook, block, title, answers)
        ?? { kind: 'declined', subject: block.subject, reason: `Not sent: no stream on ${entry.config.name} stores "${block.subject}", and sending anyway was declined.` };
      notify(record(title, result));
      return result;
    },
  };
}

/** A toast's text: the outcome's line, then as much of a reply or of collected messages as fits. */
function toastText(words: ResultWords): string {
  if (!words.details.length) return words.line;
  const more = words.details.map(l => l.trim()).join(' ');
  return `${words.line}: ${more.length > 300 ? `${more.slice(0, 300)}…` : more}`;
}
