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

function scanFile(algebra: CompiledAlgebra, { path, text }: SourceFile, options: ScanSourcesOptions, out: ScannedSources): void {
  const kind = fileKindOf(path);
  let starts: number[] | undefined;
  const line = (offset: number) => lineAt((starts ??= lineStarts(text)), offset) + 1;
  if (kind === 'nats') {
    for (const { block, resolved, pattern } of playbookSubjects(algebra, parsePlaybook(text), options.environment)) {
      // an undefined variable leaves the subject unknown: lint reports it, coverage cannot say where it goes
      if (resolved.unresolved.length) continue;
      const written = block.subject !== resolved.value ? { written: block.subject } : {};
      out.sources.push({ file: path, line: line(block.subjectRange.start), subject: resolved.value, kind: pattern ? 'pattern' : 'publish', ...written });
    }
    return;
  }
  for (const lit of findSubjectLiterals(algebra, text, kind === 'yaml')) {
    out.sources.push({
      file: path, line: line(lit.start), subject: lit.subject, kind: lit.pattern ? 'pattern' : 'publish', ...(lit.truncated && !lit.pattern ? { prefix: true } : {}),
    });
  }
  if (DEFINITION.test(path)) {
    const folder = path.split(/[\\/]/).slice(-2, -1)[0];
    const parsed = parseDomainDefinition(text, { nameCase: algebra.nameCase, ...(folder ? { fallbackDomain: folder } : {}) });
    if (parsed.definition) out.definitions.push({ file: path, definition: parsed.definition });
    const errors = parsed.problems.filter(p => p.severity === 'error');
    if (errors.length) out.definitionProblems.push({ file: path, problems: errors });
  }
}
