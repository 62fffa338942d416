// The validator: NATS rules first, then the algebra (structure, token rules, style). Never throws.
import { randomUUID } from 'node:crypto';
import type { CompiledAlgebra } from '../algebra/compiled';
import type { CategorySpec } from '../algebra/schema';
import { categoryPattern } from '../algebra/describe';
import { problem, type Problem, type Span } from '../problem';
import { nearest } from './nearest';
import { fastPath, tokenStart, withinBound, type FastPath } from './fastPath';
import { checkNatsRules } from './natsRules';
import { checkStyle } from './style';
import { checkToken, isName, type TokenCheckContext } from './tokenRules';
import { nameWords } from '../text/names';

export interface ValidateOptions {
  /** Check as a subscription / stream-filter pattern (wildcards allowed) instead of a publish subject. */
  pattern?: boolean;
  /** Report style warnings (past tense, imperative, * in the environment). Default true. */
  style?: boolean;
  /** Makes the UUID for "replace with a new UUID" fixes; defaults to crypto.randomUUID. */
  newUuid?: () => string;
  /** Set false to skip the compiled fast path (tests hold the two paths equal). */
  fastPath?: boolean;
}

export function validateSubject(algebra: CompiledAlgebra, subject: string, options: ValidateOptions = {}): Problem[] {
  const out: Problem[] = [];
  const fast = fastPath(algebra);
  if (options.fastPath !== false && withinBound(subject) && fast.regex.test(subject)) {
    if (options.style ?? true) styleOnly(fast, algebra, subject, out);
    return out;
  }
  const tokens = subject.split('.');
  const starts = offsets(tokens);
  if (checkNatsRules(subject, tokens, starts, options.pattern ?? false, out)) {
    checkAlgebra({ algebra, newUuid: options.newUuid ?? randomUUID }, subject, tokens, starts, options, out);
  }
  return out;
}

/** A well-formed subject can only break style rules: check its styled tokens, found without a split. */
function styleOnly(fast: FastPath, algebra: CompiledAlgebra, subject: string, out: Problem[]): void {
  const catStart = tokenStart(subject, algebra.categoryIndex);
  const catEnd = subject.indexOf('.', catStart);
  const styled = fast.styled.get(subject.slice(catStart, catEnd < 0 ? subject.length : catEnd));
  if (!styled) return;
  for (const { index, spec } of styled) {
    const start = tokenStart(subject, index);
    const end = subject.indexOf('.', start);
    checkStyle(spec, subject.slice(start, end < 0 ? subject.length : end), start, out);
  }
}

/** Token start offsets, in one typed array: cheaper than a list of span objects on the hot path. */
function offsets(tokens: string[]): Int32Array {
  const starts = new Int32Array(tokens.length);
  for (let i = 1; i < tokens.length; i++) starts[i] = starts[i - 1]! + tokens[i - 1]!.length + 1;
  return starts;
}

function span(tokens: string[], starts: Int32Array, i: number): Span {
  return { start: starts[i]!, end: starts[i]! + tokens[i]!.length };
}

function checkAlgebra(ctx: TokenCheckContext, subject: string, tokens: string[], starts: Int32Array, options: ValidateOptions, out: Problem[]): void {
  const { algebra } = ctx;
  const style = options.style ?? true;
  const ci = algebra.categoryIndex;
  const prefix = algebra.spec.prefix;
  for (let i = 0; i < ci; i++) {
    const t = tokens[i];
    if (t === undefined) return missing(algebra, subject, tokens, starts, undefined, out);
    if (t === '>') return;
    if (t === '*') {
      if (style && i === algebra.environmentIndex) {
        const env = algebra.spec.environments[0]!;
        out.push(problem('algebra/wildcard-environment', 'warning', span(tokens, starts, i), `* in the environment position matches every environment (${[...algebra.environments].join(', ')}), prod with dev: name one unless you mean all of them.`,
          [{ title: `Replace with "${env}"`, ...span(tokens, starts, i), newText: env }]));
      }
      continue;
    }
    checkToken(ctx, prefix[i]!, t, starts[i]!, out);
  }
  const catText = tokens[ci];
  if (catText === undefined) return missing(algebra, subject, tokens, starts, undefined, out);
  if (catText === '>') return;
  const category = catText === '*' ? undefined : algebra.categories.get(catText);
  if (catText !== '*' && !category) return unknownCategory(ctx, subject, tokens, starts, out);
  if (!category) return; // `*` category: every category's tokens may follow; only NATS rules apply
  const expected = ci + 1 + category.tokens.length;
  for (let j = 0; j < category.tokens.length; j++) {
    const i = ci + 1 + j;
    const t = tokens[i];
    if (t === undefined) return missing(algebra, subject, tokens, starts, category, out);
    if (t === '>') return;
    if (t === '*') continue;
    const spec = category.tokens[j]!;
    const before = out.length;
    checkToken(ctx, spec, t, starts[i]!, out);
    if (style && out.length === before && tokens.length === expected) checkStyle(spec, t, starts[i]!, out);
  }
  if (tokens.length > expected) {
    const start = starts[expected]!;
    out.push(problem('algebra/extra-tokens', 'error', { start, end: subject.length }, `A ${kind(category)} subject has ${expected} tokens (${categoryPattern(algebra, category)}); remove "${subject.slice(start)}".`,
      [{ title: 'Remove the extra tokens', start: start - 1, end: subject.length, newText: '' }]));
  }
}

function kind(category: CategorySpec): string {
  return (category.title ?? category.name).toLowerCase();
}

function missing(algebra: CompiledAlgebra, subject: string, tokens: string[], starts: Int32Array, category: CategorySpec | undefined, out: Problem[]): void {
  const last = tokens.length - 1;
  const at = span(tokens, starts, last);
  if (!category) {
    const cats = [...algebra.categories.keys()].join(', ');
    const next = algebra.spec.prefix[tokens.length]?.role ?? 'category';
    out.push(problem('algebra/missing-tokens', 'error', at, `The subject stops after "${subject}": add the ${next}${next === 'category' ? ` (${cats})` : ''}.`));
    return;
  }
  const need = category.tokens.slice(tokens.length - algebra.categoryIndex - 1).map(t => `{${t.role}}`);
  const fixes = splitFix(algebra, category, tokens, starts, need.length);
  // the token that should be split already has a name-rule problem: the split is its best fix too
  const named = fixes[0] && out.find(p => p.code === 'algebra/name-rule' && p.start === fixes[0]!.start);
  if (named) {
    const role = category.tokens[tokens.findIndex((_, i) => starts[i] === named.start) - algebra.categoryIndex - 1]?.role ?? 'token';
    // a plain rename would leave a token missing: the split is the one fix
    named.fixes = [fixes[0]!];
    named.message = `The ${role} "${subject.slice(named.start, named.end)}" joins what should be two tokens: write "${fixes[0]!.newText}".`;
  }
  out.push(problem('algebra/missing-tokens', 'error', at, `A ${kind(category)} subject is ${categoryPattern(algebra, category)}: add ${need.join('.')}.`, fixes));
}

/** `OrderCreated` where two tokens belong: offer `order.created` when that supplies the missing count. */
function splitFix(algebra: CompiledAlgebra, category: CategorySpec, tokens: string[], starts: Int32Array, missingCount: number) {
  const sep = algebra.nameCase === 'kebab' ? '-' : '_';
  for (let i = algebra.categoryIndex + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!/[A-Z]/.test(t)) continue;
    const w = nameWords(t);
    if (w.length > missingCount && !isName(t, sep.charCodeAt(0))) {
      // events read NounVerbed (OrderPlaced: order.placed), commands VerbNoun (RegisterCustomer: customer.register)
      const last = category.tokens[i - algebra.categoryIndex - 1 + missingCount];
      const verbFirst = missingCount === 1 && last?.style === 'imperative';
      const parts = verbFirst ? [w.slice(1).join(sep), w[0]!] : [w.slice(0, w.length - missingCount).join(sep), ...w.slice(w.length - missingCount)];
      const newText = parts.join('.');
      return [{ title: `Split "${t}" into "${newText}"`, ...span(tokens, starts, i), newText }];
    }
  }
  return [];
}

function unknownCategory(ctx: TokenCheckContext, subject: string, tokens: string[], starts: Int32Array, out: Problem[]): void {
  const { algebra } = ctx;
  const ci = algebra.categoryIndex;
  const at = span(tokens, starts, ci);
  const catText = tokens[ci]!;
  const legacy = algebra.spec.legacy && algebra.categories.get(algebra.spec.legacy.insertCategory);
  const near = nearest(catText, algebra.categories.keys());
  if (legacy && !near.length && tokens.length === ci + legacy.tokens.length) {
    const insert = `${legacy.name}.`;
    out.push(problem('algebra/legacy-form', 'error', at, `This is the older form without the category token: insert "${legacy.name}" after the ${algebra.spec.prefix.map(t => t.role).join('.') || 'start'} (${categoryPattern(algebra, legacy)}).`,
      [{ title: `Insert the missing "${insert}"`, start: at.start, end: at.start, newText: insert }]));
    return;
  }
  const cats = [...algebra.categories.keys()];
  out.push(problem('algebra/unknown-category', 'error', at, near.length ? `Unknown category "${catText}": did you mean "${near[0]}"?` : `Unknown category "${catText}": use one of ${cats.join(', ')}.`,
    (near.length ? near : []).slice(0, 3).map(c => ({ title: `Replace with "${c}"`, ...at, newText: c }))));
}
