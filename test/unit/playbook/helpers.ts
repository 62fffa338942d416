// Shared by the playbook tests: fixtures from the source tree and predictable built-ins.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Span } from '../../../src/core/problem';
import type { Builtins } from '../../../src/core/playbook';

/** The repository root: tests run from out/test/unit/playbook. */
export const ROOT = path.resolve(__dirname, '../../../..');

export function fixture(name: string): string {
  return fs.readFileSync(path.join(ROOT, 'test/fixtures/playbooks', name), 'utf8');
}

export function at(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

/** Counting UUIDs, so a test can tell one evaluation from two. */
export function builtins(env = 'dev'): Builtins {
  let n = 0;
  return {
    env,
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    now: () => '2025-01-02T03:04:05.000Z',
  };
}
