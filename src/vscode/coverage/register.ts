// Stream coverage in the editor: hover, diagnostics with quick fixes, server names in completion, the report, and the
// lattice commands. Nothing here connects or loads the NATS client at activation.
import * as vscode from 'vscode';
import type { AlgebraService } from '../algebraService';
import { registerCommand } from '../platform/commands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { DomainService } from '../domainService';
import type { StreamCatalogue } from '../explorer/streamCatalogue';
import type { NameRegistry } from '../nameRegistry';
import { settingsFor } from '../platform/configuration';
import { CoverageCodeActionProvider, CoverageDiagnostics } from './coverageDiagnostics';
import { CoverageDocuments } from './coverageDocuments';
import { CoverageHoverProvider } from './coverageHover';
import { CoverageService } from './coverageService';
import { GENERALIZE, OVERLAP, generalizeCommand, overlapCommand, type LatticeArgs } from './latticeCommands';
import { COVERAGE_REPORT, SourceScans, runCoverageReport } from './reportCommand';
import { ServerNameSource } from './serverNameSource';
import { onSettingsChange } from '../platform/configuration';

export interface CoverageDeps {
  algebra: AlgebraService;
  domains: DomainService;
  names: NameRegistry;
  registry: ConnectionRegistry;
  catalogue: StreamCatalogue;
}

export interface CoverageApi {
  service: CoverageService;
  diagnostics: CoverageDiagnostics;
}

/** The documents language features cover: .nats files and the languages of `cimNats.subjects.languages`. */
function selector(): vscode.DocumentSelector {
  return [{ language: 'nats' }, ...settingsFor()['subjects.languages'].map(language => ({ language }))];
}

class CoverageLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    return [new vscode.CodeLens(doc.lineAt(0).range, { title: '$(checklist) Coverage report', tooltip: 'Where every subject of the workspace would be stored', command: COVERAGE_REPORT })];
  }
}

/**
 * The "Coverage report" lens on every playbook. Registered before the playbook's own lenses: VS Code ranks the newer of
 * two equal providers first, and "Run all" stays first on the line.
 */
export function registerCoverageLens(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.languages.registerCodeLensProvider({ language: 'nats' }, new CoverageLensProvider()));
}

export function registerCoverage(context: vscode.ExtensionContext, deps: CoverageDeps): CoverageApi {
  const docs = new CoverageDocuments(deps.algebra);
  const service = new CoverageService(deps.registry, deps.catalogue, deps.algebra, deps.domains);
  const diagnostics = new CoverageDiagnostics(docs, service);
  const serverNames = new ServerNameSource(service);
  const hover = new CoverageHoverProvider(docs, service, deps.domains);
  const actions = new CoverageCodeActionProvider(diagnostics, service, deps.registry);
  let providers: vscode.Disposable[] = [];
  const register = () => {
    providers.forEach(p => p.dispose());
    const sel = selector();
    // editor menus show the lattice commands in these languages (`editorLangId in cimNats.subjectLanguages`)
    void vscode.commands.executeCommand('setContext', 'cimNats.subjectLanguages', settingsFor()['subjects.languages']);
    providers = [
      vscode.languages.registerHoverProvider(sel, hover),
      vscode.languages.registerCodeActionsProvider(sel, actions, { providedCodeActionKinds: CoverageCodeActionProvider.kinds }),
    ];
  };
  register();
  context.subscriptions.push(
    docs,
    service,
    diagnostics,
    serverNames,
    deps.names.add(serverNames),
    { dispose: () => providers.forEach(p => p.dispose()) },
    onSettingsChange(['subjects.languages'], register),
  );
  const scans = new SourceScans();
  registerCommand(context, COVERAGE_REPORT, () => runCoverageReport(service, deps.registry, deps.algebra, scans));
  registerCommand(context, GENERALIZE, (arg?: unknown) => generalizeCommand(deps.algebra, latticeArgs(arg)));
  registerCommand(context, OVERLAP, (arg?: unknown) => overlapCommand(deps.algebra, latticeArgs(arg)));
  return { service, diagnostics };
}

/** Menus pass the editor's URI first: only `{ subjects: [...] }` is scripted input. */
function latticeArgs(arg: unknown): LatticeArgs | undefined {
  const subjects = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as LatticeArgs).subjects : undefined;
  return Array.isArray(subjects) && subjects.every(s => typeof s === 'string') ? { subjects } : undefined;
}
