// Building a subject to publish token by token (environment, category, domain, ...), by the algebra and the known
// names, optionally within the subjects a stream captures. Pure: a picker asks the questions, this says what they are.
import { randomUUID } from 'node:crypto';
import type { CompiledAlgebra } from '../algebra/compiled';
import type { TokenSpec } from '../algebra/schema';
import { completeSubject } from '../complete/complete';
import type { NameIndex } from '../complete/names';
import { overlap } from '../pattern/lattice';
import { isValidPattern } from '../pattern/tokens';
import { CATEGORY_ROLE } from '../subject/parse';

export interface StepItem {
  /** The token. */
  value: string;
  /** Where it comes from or what it is, e.g. `event OrderPlaced (E004)`. */
  detail?: string;
}

export interface SubjectStep {
  /** The position of the token being chosen. */
  index: number;
  /** Its role in the algebra: `env`, `category`, `domain`, `aggregate`, `event`, `event_id`, ... */
  role: string;
  /** A title for the question, e.g. `Aggregate`. */
  title: string;
  /** What the algebra says the token is. */
  description?: string;
  /** The tokens chosen so far. */
  chosen: readonly string[];
  items: StepItem[];
  /** Any name may be typed (names and free tokens); otherwise one of `items`. */
  free: boolean;
  /** The one answer there is (a fresh UUID, or the only token the stream's subjects allow): no need to ask. */
  fixed?: string;
}

export interface StepOptions {
  names?: NameIndex;
  /** Stream subject patterns the subject must fall within (a stream's `subjects`). */
  within?: readonly string[];
  /** Offered first among environments. */
  defaultEnvironment?: string;
  uuid?: () => string;
}

/** The next token to choose after `chosen`, or undefined when the subject is whole (the algebra's shape is filled). */
export function nextSubjectStep(algebra: CompiledAlgebra, chosen: readonly string[], options: StepOptions = {}): SubjectStep | undefined {
  const index = chosen.length;
  const prefix = chosen.length ? `${chosen.join('.')}.` : '';
  const done = completeSubject(algebra, prefix, prefix.length, {
    ...(options.names ? { names: options.names } : {}),
    ...(options.defaultEnvironment ? { defaultEnvironment: options.defaultEnvironment } : {}),
    newUuid: options.uuid ?? randomUUID,
  });
  if (!done.role) return undefined;
  const spec = specAt(algebra, chosen, index);
  const last = isLastPosition(algebra, chosen, index);
  const within = options.within;
  const fits = (value: string) => !within?.length || within.some(p => overlap(p, [...chosen, value].join('.') + (last ? '' : '.>')));

  const seen = new Set<string>();
  const items: StepItem[] = [];
  const add = (value: string, detail?: string) => {
    if (seen.has(value) || !fits(value)) return;
    seen.add(value);
    items.push(detail ? { value, detail } : { value });
  };
  // Ranked as completion ranks them (the default environment first), in the algebra's and the definitions' order within a rank.
  const rank = (c: { sortText?: string }) => c.sortText?.charAt(0) ?? '5';
  for (const c of [...done.items].sort((a, b) => rank(a).localeCompare(rank(b)))) {
    if (c.kind !== 'wildcard') add(c.insertText, c.detail);
  }
  const rule = done.role === CATEGORY_ROLE ? 'category' : spec?.rule;
  // A name the stream's subjects spell out (sales in dev.domain.sales.>) is offered even when no definition names it.
  for (const p of rule === 'name' || rule === 'free' ? (within ?? []) : []) {
    const t = p.split('.')[index];
    if (t !== undefined && t !== '*' && t !== '>' && (rule === 'free' || algebra.nameRe.test(t)) && overlap(p, prefix + '>')) add(t, 'from the stream\'s subjects');
  }
  const step: SubjectStep = {
    index,
    role: done.role,
    title: titleOf(done.role),
    chosen,
    items,
    free: rule === 'name' || rule === 'free',
  };
  const description = done.role === CATEGORY_ROLE ? 'The kind of message: its category decides the rest of the subject.' : spec?.description;
  if (description) step.description = description;
  if (rule === 'uuid') {
    step.fixed = items[0]?.value ?? (options.uuid ?? randomUUID)();
    step.free = false;
  } else if (within?.length && items.length === 1 && onlyToken(within, prefix, index) === items[0]!.value) {
    step.fixed = items[0]!.value;
  }
  return step;
}

/** Why `value` cannot stand at this step, in one sentence, or undefined when it can. */
export function tokenProblem(algebra: CompiledAlgebra, step: SubjectStep, value: string, within?: readonly string[]): string | undefined {
  if (!value) return `Enter the ${step.title.toLowerCase()}.`;
  if (!isValidPattern(value) || value.includes('.') || value === '*' || value === '>') {
    return `"${value}" is not one token: a token holds no dot, space or wildcard.`;
  }
  if (!step.free && !step.items.some(i => i.value === value)) {
    const what = step.title.toLowerCase();
    return `"${value}" is not ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what} here: pick one of ${step.items.map(i => i.value).join(', ') || 'none (nothing fits)'}.`;
  }
  const spec = specAt(algebra, step.chosen, step.index);
  if (spec?.rule === 'name' && !algebra.nameRe.test(value)) {
    return `"${value}" breaks the algebra's name rule (${algebra.nameCase === 'kebab' ? 'lowercase kebab-case, e.g. order-summary' : 'lowercase snake_case, e.g. add_node'}).`;
  }
  const last = isLastPosition(algebra, step.chosen, step.index);
  const tried = [...step.chosen, value].join('.');
  if (within?.length && !within.some(p => overlap(p, tried + (last ? '' : '.>')))) {
    return `"${tried}" falls outside the stream's subjects (${within.join(', ')}): pick a token they capture.`;
  }
  return undefined;
}

/** Tokens of a subject that can seed the steps: the whole tokens before the first one that is not plain (`{{var}}`, `${x}`, `*`). */
export function plainTokens(subject: string): string[] {
  const out: string[] = [];
  for (const t of subject.split('.')) {
    if (!t || !/^[^\s*>{}$%]+$/.test(t)) break;
    out.push(t);
  }
  return out;
}

function specAt(algebra: CompiledAlgebra, chosen: readonly string[], index: number): TokenSpec | undefined {
  const ci = algebra.categoryIndex;
  if (index < ci) return algebra.spec.prefix[index];
  if (index === ci) return undefined;
  return algebra.categories.get(chosen[ci] ?? '')?.tokens[index - ci - 1];
}

function isLastPosition(algebra: CompiledAlgebra, chosen: readonly string[], index: number): boolean {
  const category = algebra.categories.get(chosen[algebra.categoryIndex] ?? '');
  return category !== undefined && index === algebra.categoryIndex + category.tokens.length;
}

/** The literal token every pattern that can still match puts at `index`, when they agree on one. */
function onlyToken(within: readonly string[], prefix: string, index: number): string | undefined {
  const live = within.filter(p => overlap(p, prefix + '>'));
  const tokens = new Set(live.map(p => p.split('.')[index]));
  const [only] = tokens;
  return tokens.size === 1 && only !== undefined && only !== '*' && only !== '>' ? only : undefined;
}

function titleOf(role: string): string {
  if (role === 'env') return 'Environment';
  const words = role.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
