// What the Initialize picker's answer means: the domains the user checked, and text typed that matches no item read as
// a list of domain names (each held to the algebra's name rule). Nothing the user did not choose is in the answer.
import type { CompiledAlgebra } from '../algebra/compiled';
import { toNameToken } from '../text/names';

export type DomainAnswer =
  | { kind: 'domains'; domains: string[] }
  /** The typed text only narrows the list to some items: it names no domain of its own. */
  | { kind: 'filter' }
  | { kind: 'none' }
  | { kind: 'problem'; problem: string };

/** The names in typed text: split at spaces and commas. */
export function typedNames(typed: string): string[] {
  return typed.split(/[\s,]+/).filter(Boolean);
}

/** Whether typed text is a filter of the items (a part of a label, not a whole one) rather than names of its own. */
export function narrowsItems(typed: string, items: readonly string[]): boolean {
  const names = typedNames(typed);
  if (names.length !== 1) return false;
  const t = names[0]!.toLowerCase();
  return !items.includes(names[0]!) && items.some(i => i.toLowerCase().includes(t));
}

/** The sentence for a name the algebra's rule refuses, with the name that would pass when there is one. */
export function domainNameProblem(algebra: Pick<CompiledAlgebra, 'nameRe' | 'nameCase'> & { spec: { name: string } }, name: string): string | undefined {
  if (algebra.nameRe.test(name)) return undefined;
  const fixed = toNameToken(name, algebra.nameCase);
  const hint = fixed !== name && algebra.nameRe.test(fixed) ? `: type ${fixed}` : '';
  return `"${name}" is not a valid domain name for ${algebra.spec.name} (${algebra.nameCase} case, e.g. order-history)${hint}.`;
}

/** The domains the picker's answer chooses: the checked items, plus the typed names when they match no item. */
export function pickedDomains(algebra: Parameters<typeof domainNameProblem>[0], checked: readonly string[], typed: string, items: readonly string[]): DomainAnswer {
  const names = narrowsItems(typed, items) ? [] : typedNames(typed);
  for (const n of names) {
    const problem = domainNameProblem(algebra, n);
    if (problem) return { kind: 'problem', problem };
  }
  const domains = [...new Set([...checked, ...names])];
  if (domains.length) return { kind: 'domains', domains };
  return typed.trim() ? { kind: 'filter' } : { kind: 'none' };
}
