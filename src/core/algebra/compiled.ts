// A validated algebra with the look-up tables the hot paths need, built once per algebra.
import { AlgebraSchema, type Algebra, type AlgebraInput, type CategorySpec, type TokenSpec } from './schema';
import { DEFAULT_PRESET, PRESETS, type PresetId } from './presets';

export interface CompiledAlgebra {
  readonly spec: Algebra;
  /** Index of the category token: the number of prefix tokens. */
  readonly categoryIndex: number;
  readonly categories: ReadonlyMap<string, CategorySpec>;
  readonly environments: ReadonlySet<string>;
  readonly productionEnvironments: ReadonlySet<string>;
  /** Index of the environment token, or -1 when the algebra has none. */
  readonly environmentIndex: number;
  readonly nameRe: RegExp;
  readonly nameCase: 'kebab' | 'snake';
  /** Every role the algebra knows, with the token specs that carry it. */
  readonly roles: ReadonlyMap<string, TokenSpec[]>;
}

const NAME_RE = { kebab: /^[a-z0-9]+(?:-[a-z0-9]+)*$/, snake: /^[a-z0-9]+(?:_[a-z0-9]+)*$/ } as const;

export function compileAlgebra(spec: Algebra): CompiledAlgebra {
  const roles = new Map<string, TokenSpec[]>();
  for (const t of [...spec.prefix, ...spec.categories.flatMap(c => c.tokens)]) {
    const list = roles.get(t.role) ?? [];
    list.push(t);
    roles.set(t.role, list);
  }
  return {
    spec,
    categoryIndex: spec.prefix.length,
    categories: new Map(spec.categories.map(c => [c.name, c])),
    environments: new Set(spec.environments),
    productionEnvironments: new Set(spec.productionEnvironments),
    environmentIndex: spec.prefix.findIndex(t => t.rule === 'environment'),
    nameRe: NAME_RE[spec.nameCase],
    nameCase: spec.nameCase,
    roles,
  };
}

const presetCache = new Map<PresetId, CompiledAlgebra>();

/** A built-in algebra, compiled once. */
export function preset(id: PresetId = DEFAULT_PRESET): CompiledAlgebra {
  let a = presetCache.get(id);
  if (!a) {
    a = compileAlgebra(AlgebraSchema.parse(PRESETS[id]));
    presetCache.set(id, a);
  }
  return a;
}

export function isPresetId(id: string): id is PresetId {
  return Object.prototype.hasOwnProperty.call(PRESETS, id);
}

export function parseAlgebraInput(input: AlgebraInput): Algebra {
  return AlgebraSchema.parse(input);
}
