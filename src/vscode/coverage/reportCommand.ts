// Stream Coverage Report: the workspace's playbooks and subject literals against the connected server's streams and
// consumers (or the algebra's layout), as the engine's Markdown report in a new document, with links to file:line.
import * as vscode from 'vscode';
import { coverageReport, scanSources, type ConsumerFilters, type CoverageData, type CoverageSource, type DefinitionSource, type SourceFile } from '../../core/coverage';
import type { AlgebraService } from '../algebraService';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { log } from '../log';
import { natsRuntime } from '../natsRuntime';
import { settingsFor } from '../settings';
import type { CoverageService } from './coverageService';
import { absoluteLinks } from './coverageText';

export const COVERAGE_REPORT = 'cimNats.coverage.report';

/** The file types `cim-nats coverage` reads in folders, and the folders it skips. */
const INCLUDE = '**/*.{nats,ts,tsx,mts,cts,js,jsx,mjs,cjs,py,go,rs,java,cs,yaml,yml,json,jsonc}';
const EXCLUDE = '**/{node_modules,.git,out,dist,.vscode-test,target,vendor,__pycache__,.venv}/**';
const MAX_FILES = 20_000;
const MAX_FILE_BYTES = 8 * 1024 * 1024;

export interface CoverageReportResult {
  data: CoverageData;
  markdown: string;
  /** The untitled document it opened. */
  uri: string;
}

export async function runCoverageReport(service: CoverageService, registry: ConnectionRegistry, algebraService: AlgebraService): Promise<CoverageReportResult | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) throw new Error('The coverage report reads a workspace\'s files: open a folder first.');
  const built = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Stream coverage', cancellable: true },
    async (progress, token) => {
      progress.report({ message: 'finding files…' });
      const { algebra } = await algebraService.algebraFor();
      const uris = (await vscode.workspace.findFiles(INCLUDE, EXCLUDE, MAX_FILES, token)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      if (token.isCancellationRequested) return undefined;
      const environment = settingsFor()['playbook.defaultEnvironment'];
      const byPath = new Map<string, vscode.Uri>();
      const sources: CoverageSource[] = [];
      const definitions: DefinitionSource[] = [];
      const open = new Map(vscode.workspace.textDocuments.map(d => [d.uri.toString(), d]));
      for (const [i, uri] of uris.entries()) {
        if (token.isCancellationRequested) return undefined;
        if (i % 50 === 0) progress.report({ message: `reading ${i + 1} of ${uris.length} files…`, increment: (50 / uris.length) * 90 });
        const file = await readSource(uri, open.get(uri.toString()));
        if (!file) continue;
        byPath.set(file.path, uri);
        // one file at a time: no file's text outlives its scan
        const scanned = scanSources(algebra, [file], { environment });
        sources.push(...scanned.sources);
        definitions.push(...scanned.definitions);
        for (const { file: f, problems } of scanned.definitionProblems) log().warn(`coverage: ${f}: ${problems[0]?.message ?? 'cannot be read'}`);
      }
      progress.report({ message: 'reading the streams…' });
      const view = (await service.view(undefined, { evenWhenOff: true }))!;
      const consumers: ConsumerFilters[] = [];
      const session = view.server && registry.current(view.server.entryId);
      if (view.server && session) {
        const rt = await natsRuntime();
        for (const s of view.server.streams) {
          if (token.isCancellationRequested) return undefined;
          if (s.kind === 'stream' && !s.unavailable && s.consumerCount > 0) consumers.push(...(await rt.listConsumers(session, s.name)));
        }
      }
      const report = coverageReport({ algebra, layout: view.index.layout, index: view.index, sources, consumers, definitions });
      const markdown = absoluteLinks(report.markdown, path => byPath.get(path)?.toString());
      return { report, markdown, truncated: uris.length >= MAX_FILES };
    },
  );
  if (!built) {
    void vscode.window.showInformationMessage('Stream coverage report cancelled.');
    return undefined;
  }
  const note = built.truncated ? `\n> Only the first ${MAX_FILES.toLocaleString('en-US')} files were read.\n` : '';
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: built.markdown + note });
  await vscode.window.showTextDocument(doc, { preview: false });
  return { data: built.report.data, markdown: built.markdown, uri: doc.uri.toString() };
}

/** A file as the report names it (workspace-relative), from its open editor when it has one, else from disk. */
async function readSource(uri: vscode.Uri, doc: vscode.TextDocument | undefined): Promise<SourceFile | undefined> {
  const path = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  if (doc) return { path, text: doc.getText() };
  let bytes: Uint8Array;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_FILE_BYTES) return undefined;
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    log().warn(`coverage: ${path} cannot be read (${e instanceof Error ? e.message : String(e)}), skipped`);
    return undefined;
  }
  // binary files hold NUL bytes; they have no subjects
  if (bytes.subarray(0, 8000).includes(0)) return undefined;
  return { path, text: new TextDecoder().decode(bytes) };
}
