// The README's settings table, generated from package.json (itself held against the zod schema by a unit test).
// `node scripts/readmeConfig.mjs` (part of `npm run sync:manifest`) rewrites the table between the markers in README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BEGIN = '<!-- settings:begin -->';
export const END = '<!-- settings:end -->';

export function settingsTable(pkg) {
  const rows = Object.entries(pkg.contributes.configuration.properties).map(([key, p]) => {
    const type = p.enum ? p.enum.map(v => `\`${v}\``).join(' \\| ') : p.type === 'array' ? `${p.items?.type ?? 'any'}[]` : p.type;
    return `| \`${key}\` | ${type} | \`${JSON.stringify(p.default)}\` | ${p.description} |`;
  });
  return [BEGIN, '| Setting | Type | Default | What it does |', '|---|---|---|---|', ...rows, END].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = new URL('..', import.meta.url);
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < 0) throw new Error('README.md has no settings markers');
  writeFileSync(new URL('README.md', root), readme.slice(0, start) + settingsTable(pkg) + readme.slice(end + END.length));
}
