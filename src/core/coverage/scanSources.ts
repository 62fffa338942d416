// Workspace files to coverage sources: subject literals through the one literal scanner, playbooks through the one parser.
import type { CompiledAlgebra } from '../algebra/compiled';
import { parseDomainDefinition } from '../domain/parseDefinition';
import type { DefinitionProblem, DomainDefinition } from '../domain/model';
import { parsePlaybook } from '../playbook/parser';
import { fileKindOf } from '../scan/findings';
import { findSubjectLiterals } from '../scan/literals';
import { playbookSubjects } from '../scan/playbookSubjects';
import { lineAt, lineStarts } from '../text/lines';
import type { CoverageKind } from './check';

export interface SourceFile {
  /** As the report shows and links it, e.g. relative to the workspace: `src/orders.ts`. */
  path: string;
  text: string;
}

export interface CoverageSource {
  file: string;
  /** 1-based. */
  line: number;
  /** As published or subscribed: a playbook's subject with its variables expanded. */
  subject: string;
  kind: CoverageKind;
  /** As written when that differs from `subject`: a playbook subject with `{{variables}}`. */
  written?: string;
  /** A literal cut at an interpolation (`${id}`) or ending in a dot: the start of a subject. */
  prefix?: boolean;
}

export interface DefinitionSource {
  file: string;
  definition: DomainDefinition;
}

export interface ScannedSources {
  sources: CoverageSource[];
  definitions: DefinitionSource[];
  /** Domain definitions that could not be read, with their problems; other files never fail. */
  definitionProblems: { file: string; problems: DefinitionProblem[] }[];
}

export interface ScanSourcesOptions {
  /** `{{env}}` in playbooks (default: the algebra's first environment). */
  environment?: string;
}

const DEFINITION = /(?:^|[\\/])domain-definition\.ya?ml$/i;

export function scanSources(algebra: CompiledAlgebra, files: Iterable<SourceFile>, options: ScanSourcesOptions = {}): ScannedSources {
  const out: ScannedSources = { sources: [], definitions: [], definitionProblems: [] };
  for (const file of files) {
    scanFile(algebra, file, options, out);
  }
  return out;
}

/**
 * 1-based lines of offsets asked in increasing order, counted by jumping from one line feed to the next: a line
 * table of the whole file would cost as much as the scan. CRLF counts as one break; a file with a lone CR gets the table.
 */
function lineCounter(text: string): (offset: number) => number {
  if (text.indexOf('\r') >= 0 && /\r(?!\n)/.test(text)) {
    const starts = lineStarts(text);
    return offset => lineAt(starts, offset) + 1;
  }
  let at = 0;
  let line = 1;
  return offset => {
    if (offset < at) {
      at = 0;
      line = 1;
    }
    for (let nl = text.indexOf('\n', at); nl >= 0 && nl < offset; nl = text.indexOf('\n', at)) {
      line++;
      at = nl + 1;
    }
    return line;
  };
}

/**
 * A copy of a substring that no longer points into the file's text: V8 keeps a long substring as a view of its parent,
 * so a workspace's sources would otherwise hold every file's whole text alive (megabytes for a few subjects each).
 */
function detach(s: string): string {
  return (s + ' ').slice(0, -1);
}

function scanFile(algebra: CompiledAlgebra, { path, text }: SourceFile, options: ScanSourcesOptions, out: ScannedSources): void {
  const kind = fileKindOf(path);
  const line = lineCounter(text);
  if (kind === 'nats') {
    for (const { block, resolved, pattern } of playbookSubjects(algebra, parsePlaybook(text), options.environment)) {
      // an undefined variable leaves the subject unknown: lint reports it, coverage cannot say where it goes
      if (resolved.unresolved.length) continue;
      const source: CoverageSource = { file: path, line: line(block.subjectRange.start), subject: resolved.value, kind: pattern ? 'pattern' : 'publish' };
      if (block.subject !== resolved.value) source.written = detach(block.subject);
      out.sources.push(source);
    }
    return;
  }
  for (const lit of findSubjectLiterals(algebra, text, kind === 'yaml')) {
    const source: CoverageSource = { file: path, line: line(lit.start), subject: detach(lit.subject), kind: lit.pattern ? 'pattern' : 'publish' };
    if (lit.truncated && !lit.pattern) source.prefix = true;
    out.sources.push(source);
  }
  if (DEFINITION.test(path)) {
    const folder = path.split(/[\\/]/).slice(-2, -1)[0];
    const parsed = parseDomainDefinition(text, { nameCase: algebra.nameCase, ...(folder ? { fallbackDomain: folder } : {}) });
    if (parsed.definition) out.definitions.push({ file: path, definition: parsed.definition });
    const errors = parsed.problems.filter(p => p.severity === 'error');
    if (errors.length) out.definitionProblems.push({ file: path, problems: errors });
  }
}
