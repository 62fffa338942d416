// Stream Coverage Report: the workspace's playbooks and subject literals against the connected server's streams and
// consumers (or the algebra's layout), as the engine's Markdown report in a new document, with links to file:line.
import * as vscode from 'vscode';
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import { coverageReport, scanSources, type ConsumerFilters, type CoverageData, type CoverageSource, type DefinitionSource, type ScannedSources, type SourceFile } from '../../core/coverage';
import type { AlgebraService } from '../algebraService';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { log } from '../platform/log';
import { natsRuntime } from '../platform/natsRuntime';
import { settingsFor } from '../platform/configuration';
import type { CoverageService } from './coverageService';
import { absoluteLinks } from '../../core/coverage/coverageText';
import { COMMANDS } from '../platform/commandIds';

export const COVERAGE_REPORT = COMMANDS.coverageReport;

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
  /** Files read and scanned for this report; the others' last scans were still good. */
  scanned: number;
  /** Files the report covers. */
  files: number;
}

/**
 * What each file's last scan found, by the file's modification time and size (or an open editor's version): a
 * report reads and scans again only the files that changed, and forgets it all when the algebra or environment does.
 */
export class SourceScans {
  private readonly byUri = new Map<string, { stamp: string; scanned: ScannedSources }>();
  private scope: { algebra: CompiledAlgebra; environment: string } | undefined;

  /** The scans to reuse under this algebra and environment (all of them dropped when either changed). */
  under(algebra: CompiledAlgebra, environment: string): this {
    if (this.scope?.algebra !== algebra || this.scope.environment !== environment) this.byUri.clear();
    this.scope = { algebra, environment };
    return this;
  }
  get(uri: vscode.Uri, stamp: string): ScannedSources | undefined {
    const hit = this.byUri.get(uri.toString());
    return hit?.stamp === stamp ? hit.scanned : undefined;
  }
  set(uri: vscode.Uri, stamp: string, scanned: ScannedSources): void {
    this.byUri.set(uri.toString(), { stamp, scanned });
  }
  /** Drops the files no longer in the workspace. */
  keepOnly(uris: readonly vscode.Uri[]): void {
    const keep = new Set(uris.map(u => u.toString()));
    for (const k of this.byUri.keys()) if (!keep.has(k)) this.byUri.delete(k);
  }
}

export async function runCoverageReport(service: CoverageService, registry: ConnectionRegistry, algebraService: AlgebraService, scans: SourceScans): Promise<CoverageReportResult | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) throw new Error('The coverage report reads a workspace\'s files: open a folder first.');
  const built = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Stream coverage', cancellable: true },
    async (progress, token) => {
      progress.report({ message: 'finding files…' });
      const { algebra } = await algebraService.algebraFor();
      const single = vscode.workspace.workspaceFolders!.length === 1;
      const uris = (await vscode.workspace.findFiles(INCLUDE, EXCLUDE, MAX_FILES, token)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      if (token.isCancellationRequested) return undefined;
      const environment = settingsFor()['playbook.defaultEnvironment'];
      const byPath = new Map<string, vscode.Uri>();
      const sources: CoverageSource[] = [];
      const definitions: DefinitionSource[] = [];
      const open = new Map(vscode.workspace.textDocuments.map(d => [d.uri.toString(), d]));
      const cache = scans.under(algebra, environment);
      cache.keepOnly(uris);
      let scannedFiles = 0;
      for (const [i, uri] of uris.entries()) {
        if (token.isCancellationRequested) return undefined;
        if (i % 50 === 0) progress.report({ message: `reading ${i + 1} of ${uris.length} files…`, increment: (50 / uris.length) * 90 });
        const doc = open.get(uri.toString());
        const at = await stampOf(uri, doc);
        if (!at) continue;
        byPath.set(at.path, uri);
        let scanned = cache.get(uri, at.stamp);
        if (!scanned) {
          const file = await readSource(uri, at.path, doc);
          if (!file) continue;
          // one file at a time: no file's text outlives its scan
          scanned = scanSources(algebra, [file], { environment });
          cache.set(uri, at.stamp, scanned);
          scannedFiles++;
        }
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
          if (s.kind !== 'stream' || s.unavailable || s.consumerCount === 0) continue;
          try {
            consumers.push(...(await rt.listConsumers(session, s.name)));
          } catch (e) {
            // a stream deleted since the listing, or one the account may not read: the rest still make the report
            log().warn(`coverage: the consumers of ${s.name} could not be listed (${e instanceof Error ? e.message : String(e)})`);
          }
        }
      }
      const report = coverageReport({ algebra, layout: view.index.layout, index: view.index, sources, consumers, definitions });
      // one folder: the engine's relative links, read from a report that lives at its root (GitHub reads them too);
      // several: each file's own address (a file: link the preview does not open, the editor does)
      const markdown = single ? report.markdown : absoluteLinks(report.markdown, path => byPath.get(path)?.toString());
      return { report, markdown, truncated: uris.length >= MAX_FILES, scannedFiles, files: byPath.size };
    },
  );
  if (!built) {
    void vscode.window.showInformationMessage('Stream coverage report cancelled.');
    return undefined;
  }
  const note = built.truncated ? `\n> Only the first ${MAX_FILES.toLocaleString('en-US')} files were read.\n` : '';
  const doc = await reportDocument(built.markdown + note);
  // rendered, its tables readable; the preview's Open Source button is the way back to the text
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
  return { data: built.report.data, markdown: built.markdown, uri: doc.uri.toString(), scanned: built.scannedFiles, files: built.files };
}

/**
 * A new, unsaved document for the report: in a one-folder workspace it is `stream-coverage.md` at the folder's root
 * (saved there when the user keeps it), so the preview opens its relative links at their lines.
 */
async function reportDocument(content: string): Promise<vscode.TextDocument> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length !== 1) return vscode.workspace.openTextDocument({ language: 'markdown', content });
  const root = folders[0]!.uri;
  let target = vscode.Uri.joinPath(root, 'stream-coverage.md');
  for (let n = 2; (await exists(target)) || vscode.workspace.textDocuments.some(d => d.uri.path === target.path); n++) {
    target = vscode.Uri.joinPath(root, `stream-coverage-${n}.md`);
  }
  const doc = await vscode.workspace.openTextDocument(target.with({ scheme: 'untitled' }));
  const edit = new vscode.WorkspaceEdit();
  edit.insert(doc.uri, new vscode.Position(0, 0), content);
  await vscode.workspace.applyEdit(edit);
  return doc;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(() => true, () => false);
}

/** The file's name in the report and what tells whether its last scan still holds; undefined for a file too large. */
async function stampOf(uri: vscode.Uri, doc: vscode.TextDocument | undefined): Promise<{ path: string; stamp: string } | undefined> {
  const path = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  // an edited editor's text is its own; a clean one is the file's (a reopened editor starts at version 1 again)
  if (doc?.isDirty) return { path, stamp: `open:${doc.version}` };
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    return stat.size > MAX_FILE_BYTES ? undefined : { path, stamp: `disk:${stat.mtime}:${stat.size}` };
  } catch (e) {
    log().warn(`coverage: ${path} cannot be read (${e instanceof Error ? e.message : String(e)}), skipped`);
    return undefined;
  }
}

/** A file as the report names it (workspace-relative), from its open editor when it has one, else from disk. */
async function readSource(uri: vscode.Uri, path: string, doc: vscode.TextDocument | undefined): Promise<SourceFile | undefined> {
  if (doc) return { path, text: doc.getText() };
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    log().warn(`coverage: ${path} cannot be read (${e instanceof Error ? e.message : String(e)}), skipped`);
    return undefined;
  }
  // binary files hold NUL bytes; they have no subjects
  if (bytes.subarray(0, 8000).includes(0)) return undefined;
  return { path, text: new TextDecoder().decode(bytes) };
}
