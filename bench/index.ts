// `npm run bench`: runs every *.bench.js beside this file, prints all figures last, records them.
import { readdir, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { formatFigure, type Figure } from './lib';

interface BenchModule {
  run?: () => Promise<Figure[]>;
  default?: { run?: () => Promise<Figure[]> };
}

/** RESULTS.md lives in the source tree, next to bench/index.ts, not in out/. */
const RESULTS = path.resolve(__dirname, '../../bench/RESULTS.md');
const SUFFIX = '.bench.js';

async function runOne(file: string): Promise<Figure[]> {
  const mod = (await import(pathToFileURL(path.join(__dirname, file)).href)) as BenchModule;
  const run = mod.run ?? mod.default?.run;
  if (typeof run !== 'function') throw new Error(`${file} exports no run()`);
  return run();
}

async function main(): Promise<void> {
  // `npm run bench -- reader export` runs only those benchmarks
  const only = process.argv.slice(2);
  const files = (await readdir(__dirname)).filter((f) => f.endsWith(SUFFIX) && (only.length === 0 || only.includes(f.slice(0, -SUFFIX.length)))).sort();
  const lines: string[] = [];
  let failed = false;
  for (const file of files) {
    const name = file.slice(0, -SUFFIX.length);
    const start = performance.now();
    console.log(`running ${name} ...`);
    try {
      const figures = await runOne(file);
      lines.push(...figures.map(formatFigure));
      failed ||= figures.some((f) => f.ok === false);
      console.log(`  ${name}: ${figures.length} figures in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    } catch (err) {
      failed = true;
      lines.push(`${name}: FAILED ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (files.length === 0) lines.push(`no *${SUFFIX} files in ${__dirname}`);
  const header = [
    `date: ${new Date().toISOString()}`,
    `cpu: ${os.cpus()[0]?.model ?? 'unknown'}`,
    `node: ${process.version}`,
  ];
  console.log(['', ...lines].join('\n'));
  const md = ['# Benchmark results', '', ...header.map((h) => `- ${h}`), '', '```', ...lines, '```', ''].join('\n');
  if (only.length === 0) {
    await writeFile(RESULTS, md);
    console.log(`\nwritten to ${RESULTS}`);
  }
  if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
