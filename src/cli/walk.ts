// The files `lint` and `coverage` read: the paths named, and inside folders the checked file types, skipping build output.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './usage';

const SKIP_DIRS = new Set(['node_modules', '.git', 'out', 'dist', '.vscode-test', 'target', 'vendor', '__pycache__', '.venv']);
/** The file types the editor checks by default (cimNats.subjects.languages); a file named on the command line is read whatever its type. */
const TEXT_EXT = /\.(nats|ts|tsx|mts|cts|js|jsx|mjs|cjs|py|go|rs|java|cs|yaml|yml|json|jsonc)$/i;
const MAX_FILE = 8 * 1024 * 1024;

/** Every file to read under `paths`, in order; unreadable entries inside folders are warned about and skipped. */
export function collectFiles(paths: readonly string[], warn: (line: string) => void): string[] {
  const files: string[] = [];
  for (const p of paths) collect(p, files, true, warn);
  return files;
}

function collect(path: string, out: string[], explicit: boolean, warn: (l: string) => void): void {
  let st;
  try {
    // inside a folder, links are not followed: a dangling link or a cycle cannot stop the walk
    st = explicit ? statSync(path) : lstatSync(path);
  } catch (e) {
    if (explicit) throw new UsageError(`no such file or folder: ${path}`);
    warn(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}), skipped`);
    return;
  }
  if (st.isDirectory()) {
    let names: string[];
    try {
      names = readdirSync(path).sort();
    } catch (e) {
      warn(`${path}: cannot be listed (${(e as NodeJS.ErrnoException).code ?? String(e)}), skipped`);
      return;
    }
    for (const name of names) if (!SKIP_DIRS.has(name)) collect(join(path, name), out, false, warn);
  } else if (st.isFile() && (explicit || (TEXT_EXT.test(path) && st.size <= MAX_FILE))) {
    out.push(path);
  }
}
