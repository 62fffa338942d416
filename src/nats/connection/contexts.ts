// Reads natscli's contexts from disk (~/.config/nats/context/*.json, the selected one named in context.txt).
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { natsConfigDir, orderContexts, parseNatsContext, type ImportedContext } from '../../core/connections/natsContext';

export interface ContextScan {
  dir: string;
  contexts: ImportedContext[];
  /** The selected context's name, from context.txt. */
  selected?: string;
  /** One sentence per file that could not be used. */
  problems: string[];
}

export async function readNatsContexts(configDir = natsConfigDir(process.env, homedir()), home = homedir()): Promise<ContextScan> {
  const dir = join(configDir, 'context');
  let files: string[];
  try {
    files = (await readdir(dir)).filter(f => f.endsWith('.json'));
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { dir, contexts: [], problems: [code === 'ENOENT' ? `There are no natscli contexts: ${dir} does not exist (create one with \`nats context add\`).` : `natscli's contexts in ${dir} cannot be read (${code ?? (e as Error).message}).`] };
  }
  const selected = (await readFile(join(configDir, 'context.txt'), 'utf8').catch(() => '')).trim() || undefined;
  const problems: string[] = [];
  const contexts: ImportedContext[] = [];
  for (const name of orderContexts(files.map(f => f.slice(0, -'.json'.length)), selected)) {
    const text = await readFile(join(dir, `${name}.json`), 'utf8').catch((e: Error) => e);
    if (text instanceof Error) {
      problems.push(`natscli context "${name}" cannot be read (${(text as { code?: string }).code ?? text.message}).`);
      continue;
    }
    const r = parseNatsContext(name, text, home);
    if (r.ok) contexts.push(r.context);
    else problems.push(r.problem);
  }
  if (files.length === 0) problems.push(`There are no natscli contexts in ${dir} (create one with \`nats context add\`).`);
  return { dir, contexts, ...(selected ? { selected } : {}), problems };
}
