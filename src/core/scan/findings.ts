// What a scan of one file yields: the shared vocabulary of lint.ts and playbookSubjects.ts, so neither imports the other.
import type { Problem } from '../problem';
import type { ValidateOptions } from '../subject/validate';

export type FileKind = 'nats' | 'yaml' | 'source';

export interface SubjectFinding {
  /** The subject as written in the document (start..end). */
  subject: string;
  /** A playbook subject with its {{variables}} expanded, as it was checked. */
  resolved?: string;
  start: number;
  end: number;
  pattern: boolean;
  /** `PUB`/`SUB`/`REQ` for a playbook line, `literal` for a string in source code, `playbook` for the file's own problems. */
  origin: 'PUB' | 'SUB' | 'REQ' | 'literal' | 'playbook';
  /** Problems with offsets into the whole document. */
  problems: Problem[];
}

export interface LintOptions extends Pick<ValidateOptions, 'style' | 'newUuid'> {
  /** The value of {{env}} in playbooks. */
  environment?: string;
}

export function fileKindOf(path: string): FileKind {
  const lower = path.toLowerCase();
  if (lower.endsWith('.nats')) return 'nats';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return 'source';
}
