// Completion per token position: what may stand at the cursor, by the algebra and the known names.
import { randomUUID } from 'node:crypto';
import type { CompiledAlgebra } from '../algebra/compiled';
import { categoryPattern } from '../algebra/describe';
import type { TokenSpec } from '../algebra/schema';
import { NameIndex, type CompletionCandidate } from './names';

export interface CompleteOptions {
  pattern?: boolean;
  names?: NameIndex;
  newUuid?: () => string;
  /** Offered first among environments. */
  defaultEnvironment?: string;
}

export interface CompletionResult {
  /** The range of the token being completed (replace it with the chosen item). */
  start: number;
  end: number;
  /** The role of the position: env, category, domain, ... or undefined past the end of the algebra's shape. */
  role?: string;
  /** What the user has typed of the token so far. */
  typed: string;
  items: CompletionCandidate[];
}

const STAR: CompletionCandidate = { label: '*', kind: 'wildcard', insertText: '*', detail: 'any one token', sortText: '8*' };
const GT: CompletionCandidate = { label: '>', kind: 'wildcard', insertText: '>', detail: 'the rest of the subject', sortText: '9>' };

/** The candidates for the token at `offset` in `text` (a subject or a subject prefix). Never throws. */
export function completeSubject(algebra: CompiledAlgebra, text: string, offset: number, options: CompleteOptions = {}): CompletionResult {
  const at = Math.max(0, Math.min(offset, text.length));
  const start = at === 0 ? 0 : text.lastIndexOf('.', at - 1) + 1;
  const dot = text.indexOf('.', at);
  const end = dot < 0 ? text.length : dot;
  const before = text.slice(0, start);
  const prior = before ? before.slice(0, -1).split('.') : [];
  const index = prior.length;
  const typed = text.slice(start, at);
  const isLast = dot < 0;
  const result: CompletionResult = { start, end, typed, items: [] };
  if (prior.includes('>')) return result;

  const ci = algebra.categoryIndex;
  const items = result.items;
  const wild = () => {
    if (!options.pattern) return;
    items.push(STAR);
    if (isLast) items.push(GT);
  };
  const values: Record<string, string> = {};
  let spec: TokenSpec | undefined;
  if (index < ci) spec = algebra.spec.prefix[index];
  const category = prior[ci] !== undefined ? algebra.categories.get(prior[ci]!) : undefined;
  for (let i = 0; i < prior.length; i++) {
    const role = i < ci ? algebra.spec.prefix[i]?.role : i === ci ? 'category' : category?.tokens[i - ci - 1]?.role;
    if (role && prior[i] !== '*') values[role] = prior[i]!;
  }

  if (index === ci) {
    result.role = 'category';
    for (const c of algebra.spec.categories) {
      const item: CompletionCandidate = { label: c.name, kind: 'category', insertText: c.name, detail: categoryPattern(algebra, c), sortText: `0${c.name}` };
      if (c.description) item.documentation = c.description;
      items.push(item);
    }
    wild();
    return result;
  }
  if (index > ci) spec = category?.tokens[index - ci - 1];
  if (!spec) {
    if (index > ci && prior[ci] === '*') wild();
    return result;
  }
  result.role = spec.role;
  switch (spec.rule) {
    case 'environment': {
      const def = options.defaultEnvironment;
      for (const env of algebra.spec.environments) {
        const prod = algebra.productionEnvironments.has(env);
        items.push({ label: env, kind: 'environment', insertText: env, detail: prod ? 'environment (production)' : 'environment', sortText: `${env === def ? 0 : 1}${env}` });
      }
      break;
    }
    case 'enum':
      for (const v of spec.values ?? []) items.push({ label: v, kind: 'value', insertText: v, detail: spec.role, sortText: `0${v}` });
      break;
    case 'uuid': {
      const id = (options.newUuid ?? randomUUID)();
      items.push({ label: id, kind: 'uuid', insertText: id, detail: `a new UUID for ${spec.role}`, documentation: spec.description ?? 'A fresh random UUID.', sortText: '0' });
      break;
    }
    case 'name':
    case 'free': {
      const known = (options.names ?? NameIndex.empty).lookup(spec.role, values);
      // the shared array is returned as is when there is nothing else to add: no copy of thousands of names
      if (!options.pattern && known.length) {
        result.items = known as CompletionCandidate[];
        return result;
      }
      items.push(...known);
      break;
    }
  }
  wild();
  return result;
}

/**
 * Whether text typed in an ordinary string literal is the start of a subject worth completing: every whole token
 * so far fits its place (an environment, a name, a known category), and the text started with one of them.
 */
export function looksLikeSubjectStart(algebra: CompiledAlgebra, typed: string): boolean {
  if (!typed) return false;
  const tokens = typed.split('.');
  const whole = tokens.slice(0, -1);
  const partial = tokens[tokens.length - 1]!;
  const ci = algebra.categoryIndex;
  const category = algebra.categories.get(tokens[ci] ?? '');
  const fits = (t: string, i: number): boolean => {
    if (i === ci) return algebra.categories.has(t) || t === '*';
    if (t === '*') return true;
    const spec = i < ci ? algebra.spec.prefix[i] : category?.tokens[i - ci - 1];
    if (!spec) return true;
    if (spec.rule === 'environment') return algebra.environments.has(t) || t === '*';
    return spec.rule !== 'name' || algebra.nameRe.test(t);
  };
  if (!whole.every(fits)) return false;
  // the first token typed so far must be able to grow into what the first position takes
  if (whole.length === 0) {
    const first = algebra.spec.prefix[0];
    if (first?.rule === 'environment') return [...algebra.environments].some(e => e.startsWith(partial));
    return ci === 0 ? [...algebra.categories.keys()].some(c => c.startsWith(partial)) : false;
  }
  return true;
}
