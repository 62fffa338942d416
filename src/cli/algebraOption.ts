// Which algebra the CLI uses: --algebra FILE, else .cim/algebra.json in the current folder, else the preset.
import { existsSync, readFileSync } from 'node:fs';
import { isPresetId, loadAlgebraText, preset, type CompiledAlgebra } from '../core';
import { UsageError } from './usage';

export function resolveAlgebra(file: string | undefined, presetId: string | undefined, warn: (line: string) => void): CompiledAlgebra {
  if (presetId !== undefined && !isPresetId(presetId)) throw new UsageError(`unknown preset "${presetId}": use cim-start or cim-subject`);
  const base = preset(presetId && isPresetId(presetId) ? presetId : undefined);
  const path = file ?? (presetId === undefined && existsSync('.cim/algebra.json') ? '.cim/algebra.json' : undefined);
  if (!path) return base;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the algebra file ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)}): check the path`);
  }
  const result = loadAlgebraText(text, base);
  for (const err of result.errors) {
    warn(`${path}${err.line !== undefined ? `:${err.line + 1}` : ''}: ${err.path ? err.path + ': ' : ''}${err.message}`);
  }
  if (result.usedFallback) warn(`${path} is not a valid algebra: using the built-in ${base.spec.name} algebra until it is fixed`);
  return result.algebra;
}
