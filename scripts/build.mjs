// Bundles the extension and the CLI with esbuild. `--production` minifies; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};
// Activation stays cheap: the NATS client and everything built on it are a bundle of their own (dist/nats.js), which
// src/vscode/natsRuntime.ts requires on first use; the activation bundle must not contain any of it.
const lazyNats = {
  name: 'lazy-nats',
  setup(b) {
    b.onResolve({ filter: /\/nats\/runtime$/ }, () => ({ path: './nats.js', external: true }));
  },
};
const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [lazyNats], metafile: true },
  { ...common, entryPoints: ['src/nats/runtime.ts'], outfile: 'dist/nats.js' },
  { ...common, entryPoints: ['src/vscode/language/lintWorker.ts'], outfile: 'dist/lintWorker.js' },
  { ...common, entryPoints: ['src/nats/tail/tailWorker.ts'], outfile: 'dist/tailWorker.js' },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
// Webviews (src/webview, browser code): one bundle per page, its CSS beside it, in dist/webview/<name>.js|.css, which
// src/vscode/webviews/panelHost.ts loads by name. A new page adds its entry here.
const webviews = {
  timeline: 'src/webview/timeline/main.ts',
  dashboard: 'src/webview/dashboard/main.ts',
};
builds.push({ bundle: true, platform: 'browser', target: 'chrome120', format: 'iife', entryPoints: webviews, outdir: 'dist/webview', sourcemap: !production, minify: true, logLevel: 'warning' });
mkdirSync('dist', { recursive: true });
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  const [extension] = await Promise.all(builds.map(b => esbuild.build(b)));
  const eager = Object.keys(extension.metafile.inputs).filter(f => /node_modules\/(@nats-io|@bufbuild)\/|^src\/nats\/(?!errors\/userError)/.test(f));
  if (eager.length) throw new Error(`dist/extension.js (loaded at activation) bundles NATS code: ${eager.slice(0, 5).join(', ')}; reach it through natsRuntime()`);
  chmodSync('dist/cli.js', 0o755);
  // VS Code validates .cim/algebra.json against this, generated from the same zod schema the engine uses
  writeFileSync('dist/algebra.schema.json', execFileSync(process.execPath, ['dist/cli.js', 'schema']));
}
