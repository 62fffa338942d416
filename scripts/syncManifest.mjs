// Writes package.json's settings from the zod schema in src/core/settings.ts (run after `npm run compile`).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { settingsContribution } = require('../out/src/core/settings.js');
const url = new URL('../package.json', import.meta.url);
const pkg = JSON.parse(readFileSync(url, 'utf8'));
pkg.contributes.configuration.properties = settingsContribution();
writeFileSync(url, JSON.stringify(pkg, null, 2) + '\n');
