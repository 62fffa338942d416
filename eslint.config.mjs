// Layering (STYLE.md): src/core is pure; src/nats, src/cli never import vscode; only src/vscode adapts.
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'Only src/vscode and src/extension.ts may import vscode.' };
const natsClient = ['@nats-io/*', 'nats'];
// dev/ (local servers, the sandbox config) is for tests, bench and npm start: the product never loads it
const devOnly = { group: ['**/dev/**'], message: 'dev/ is for tests, bench and npm start, never src/.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', 'scripts/**', '*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode],
        patterns: [{ group: natsClient, message: 'src/core is pure: no NATS client.' }, { group: ['**/nats', '**/nats/**', '**/vscode/**', '../vscode', '../../vscode', '**/cli', '**/cli/**', '**/extension'], message: 'src/core depends on nothing else in src.' }, devOnly],
      }],
    },
  },
  {
    files: ['src/nats/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noVscode], patterns: [{ group: ['**/vscode/**', '../vscode', '../../vscode', '**/extension'], message: 'Only extension.ts wires src/vscode.' }, devOnly] }],
    },
  },
  {
    // Webview pages run in the browser: core's pure code and browser packages, never vscode, Node or NATS.
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode, ...['fs', 'path', 'os', 'crypto', 'child_process'].map((name) => ({ name, message: 'src/webview runs in a browser: no Node.' }))],
        patterns: [{ group: ['node:*', ...natsClient], message: 'src/webview runs in a browser: no Node, no NATS client.' }, { group: ['**/vscode/**', '../vscode', '**/nats', '**/nats/**', '**/cli', '**/cli/**', '**/extension'], message: 'src/webview talks to the host by messages only.' }, devOnly],
      }],
    },
  },
  {
    files: ['src/vscode/**/*.ts', 'src/extension.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [devOnly] }] },
  },
);
