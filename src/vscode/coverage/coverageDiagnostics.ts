// Coverage problems of open documents in their own collection: a stored kind of subject no stream captures, a pattern
// nothing stores, a consumer filter outside its stream. Re-checked per document as it is edited, and for every open
// document (never the whole workspace) when the streams change.
import * as vscode from 'vscode';
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import type { CoverageCode, CoverageFix, CoverageProblem } from '../../core/coverage';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { INIT_STREAMS, type InitStreamsArgs } from '../explorer/initStreamsCommand';
import { log } from '../platform/log';
import { KeyedDebounce, Pending } from '../../core/pending';
import { settingsFor } from '../platform/configuration';
import type { CoverageDocuments } from './coverageDocuments';
import type { CoverageService } from './coverageService';
import { assessSubject } from '../../core/coverage/documentSubjects';
import { onSettingsChange } from '../platform/configuration';

interface Found {
  range: vscode.Range;
  code: CoverageCode;
  fix?: CoverageFix;
}

/** Streams changed: every open document once, soon, in one go. */
const STREAMS_CHANGED_DELAY_MS = 100;

export class CoverageDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('cimNats.coverage');
  /** The fixes behind each document's diagnostics (VS Code hands code actions copies of the diagnostics). */
  private readonly found = new Map<string, Found[]>();
  /** Per document, the newest update started (or a close): an older update that ends later must not overwrite it. */
  private readonly tickets = new Map<string, number>();
  private readonly work = new Pending();
  private readonly debounce = new KeyedDebounce(this.work);
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(private readonly docs: CoverageDocuments, private readonly service: Pick<CoverageService, 'view' | 'shapeIndex' | 'onDidChange'>) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument(d => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument(e => e.contentChanges.length && this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument(d => {
        const key = d.uri.toString();
        this.debounce.cancel(key);
        this.ticket(key);
        this.collection.delete(d.uri);
        this.found.delete(key);
      }),
      onSettingsChange(['subjects', 'playbook'], () => this.refreshAll()),
      service.onDidChange(() => this.refreshAll(STREAMS_CHANGED_DELAY_MS)),
    );
    this.refreshAll(STREAMS_CHANGED_DELAY_MS);
  }

  refreshAll(delay = 0): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, delay);
  }

  fixesFor(uri: vscode.Uri): readonly Found[] {
    return this.found.get(uri.toString()) ?? [];
  }

  /** Resolves once no update is scheduled or running: what tests wait for before saying "nothing is underlined". */
  idle(): Promise<void> {
    return this.work.idle();
  }

  get busy(): boolean {
    return this.work.busy;
  }

  private schedule(doc: vscode.TextDocument, delay = settingsFor(doc)['diagnostics.debounceMs']): void {
    const key = doc.uri.toString();
    this.debounce.cancel(key);
    if (!this.docs.covers(doc)) {
      this.ticket(key);
      this.collection.delete(doc.uri);
      this.found.delete(key);
      return;
    }
    this.debounce.schedule(key, delay, () => this.update(doc)
      .catch(e => log().error(`coverage diagnostics of ${doc.uri.toString(true)} failed:`, e instanceof Error ? (e.stack ?? e.message) : e)));
  }

  private ticket(key: string): number {
    const next = (this.tickets.get(key) ?? 0) + 1;
    this.tickets.set(key, next);
    return next;
  }

  async update(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed) return;
    this.work.start();
    try {
      await this.check(doc);
    } finally {
      this.work.end();
    }
  }

  private async check(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const ticket = this.ticket(key);
    const version = doc.version;
    // the streams the user chose: the connected server's, or the layout when asked for; by default without a
    // connection, the layout's shape only (every domain has its streams), since which domains a deployment
    // initialized cannot be told without its server
    const chosen = await this.service.view(doc.uri);
    const view = chosen && chosen.source.kind === 'algebra' && settingsFor(doc)['coverage.source'] === 'server'
      ? { ...chosen, index: this.service.shapeIndex(chosen.algebra) }
      : chosen;
    const subjects = view ? await this.docs.subjects(doc) : [];
    // a newer text, setting or set of streams has started its own update: this older result must not overwrite it
    if (doc.isClosed || doc.version !== version || this.tickets.get(key) !== ticket) return;
    const diagnostics: vscode.Diagnostic[] = [];
    const found: Found[] = [];
    if (view) {
      for (const s of subjects) {
        // a subject of no category is the algebra diagnostics' to report, not coverage's
        if (!hasKnownCategory(view.algebra, s.subject)) continue;
        for (const p of assessSubject(view.algebra, view.index, s).problems) {
          const range = new vscode.Range(doc.positionAt(s.start), doc.positionAt(s.end));
          diagnostics.push(toDiagnostic(range, p));
          found.push({ range, code: p.code, ...(p.fix ? { fix: p.fix } : {}) });
        }
      }
    }
    this.collection.set(doc.uri, diagnostics);
    this.found.set(key, found);
  }

  dispose(): void {
    this.debounce.cancelAll();
    for (const d of this.disposables) d.dispose();
  }
}

function hasKnownCategory(algebra: CompiledAlgebra, subject: string): boolean {
  const token = subject.split('.', algebra.categoryIndex + 1)[algebra.categoryIndex];
  return token === undefined || token === '*' || token === '>' || algebra.categories.has(token);
}

/** The engine's sentence; a lost stored message is a warning here (the editor cannot know the deployment), the rest information. */
function toDiagnostic(range: vscode.Range, p: CoverageProblem): vscode.Diagnostic {
  const severity = p.code === 'coverage/filter-outside-stream' || (p.code === 'coverage/uncaptured' && p.severity === 'error')
    ? vscode.DiagnosticSeverity.Warning
    : vscode.DiagnosticSeverity.Information;
  const d = new vscode.Diagnostic(range, p.message, severity);
  d.source = 'cim-nats';
  d.code = p.code;
  return d;
}

/** Quick fixes of coverage diagnostics: create the streams, or narrow a consumer filter to its stream. */
export class CoverageCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: CoverageDiagnostics, private readonly service: CoverageService, private readonly registry: ConnectionRegistry) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter(d => d.source === 'cim-nats' && typeof d.code === 'string' && d.code.startsWith('coverage/'));
    if (!ours.length) return [];
    const found = this.diagnostics.fixesFor(doc.uri);
    const actions: vscode.CodeAction[] = [];
    const offered = new Set<string>();
    for (const diagnostic of ours) {
      const fix = found.find(f => f.code === diagnostic.code && f.range.isEqual(diagnostic.range))?.fix;
      if (fix?.kind === 'init-streams' && fix.domain !== undefined) {
        const title = `Initialize CIM streams for ${fix.domain}`;
        const key = `${title}\0${fix.environment ?? ''}`;
        if (offered.has(key)) continue;
        offered.add(key);
        const connection = this.service.connected()?.entryId ?? this.registry.activeId();
        const args: InitStreamsArgs = { domains: [fix.domain], ...(fix.environment !== undefined ? { environment: fix.environment } : {}), ...(connection ? { connection } : {}) };
        const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        action.command = { command: INIT_STREAMS, title, tooltip: `Creates ${fix.stream} (${fix.subjects}) and the domain's other CIM streams, after showing the plan.`, arguments: [undefined, args] };
        action.diagnostics = [diagnostic];
        // for a renamed subject the rename (the algebra's quick fix) comes first: these streams are for the new name
        action.isPreferred = fix.renamed === undefined;
        actions.push(action);
      } else if (fix?.kind === 'narrow-filter' && fix.filters.length === 1) {
        const action = new vscode.CodeAction(`Narrow the filter to ${fix.filters[0]}`, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, diagnostic.range, fix.filters[0]!);
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        actions.push(action);
      }
    }
    return actions;
  }
}
