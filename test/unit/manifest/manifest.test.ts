// package.json and README.md against the sources they are generated from.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SUBJECT_LANGUAGES, settingsContribution } from '../../../src/core';
import { COMMANDS } from '../../../src/vscode/platform/commandIds';

const root = join(__dirname, '../../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('package.json settings', () => {
  it('activates only on its languages and workspace files: never at start-up', () => {
    for (const e of pkg.activationEvents as string[]) assert.match(e, /^(onLanguage|workspaceContains):/, e);
  });
  it('activates on every language whose subjects are checked by default', () => {
    for (const lang of ['nats', ...DEFAULT_SUBJECT_LANGUAGES]) assert.ok(pkg.activationEvents.includes(`onLanguage:${lang}`), lang);
  });
  it('declares every setting exactly as the zod schema does (npm run sync:manifest)', () => {
    assert.deepEqual(pkg.contributes.configuration.properties, settingsContribution());
  });
});

describe('package.json commands', () => {
  it('declares exactly the command ids of src/vscode/platform/commandIds.ts, each as cimNats.<area>.<verb> in category CIM NATS', () => {
    const declared = (pkg.contributes.commands as { command: string; category?: string }[]);
    assert.deepEqual(declared.map(c => c.command).sort(), Object.values(COMMANDS).sort());
    for (const c of declared) {
      assert.match(c.command, /^cimNats\.[a-z]+\.[a-zA-Z]+$/, c.command);
      assert.equal(c.category, 'CIM NATS', c.command);
    }
  });
});

describe('README', () => {
  it('lists every setting as package.json declares it', async () => {
    const { settingsTable } = (await import(join(root, 'scripts/readmeConfig.mjs'))) as { settingsTable(pkg: unknown): string };
    assert.ok(readFileSync(join(root, 'README.md'), 'utf8').includes(settingsTable(pkg)), 'README settings table is stale: run npm run sync:manifest');
  });
});
