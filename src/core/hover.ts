// Hover text for a subject token: its role and rule, the category's pattern, the stream, and the domain's event.
import type { CompiledAlgebra } from './algebra/compiled';
import { categoryPattern, streamFor } from './algebra/describe';
import type { TokenSpec } from './algebra/schema';
import { findCommand, findEvent, type DomainDefinition } from './domain';
import { CATEGORY_ROLE, parseSubject } from './subject/parse';

const RULES: Record<TokenSpec['rule'], (t: TokenSpec, a: CompiledAlgebra) => string> = {
  environment: (_t, a) => `one of ${a.spec.environments.map(e => `\`${e}\``).join(', ')}`,
  name: (_t, a) => `a ${a.nameCase}-case name`,
  uuid: () => 'a lowercase UUID',
  enum: t => `one of ${(t.values ?? []).map(v => `\`${v}\``).join(', ')}`,
  free: () => 'any token',
};
const STYLE_TEXT = { 'past-tense': 'past tense', imperative: 'imperative', 'past-tense-or-state': 'past tense or a state' } as const;

/** Markdown for the token at `offset` (relative to the subject), or undefined outside any token. */
export function subjectHover(algebra: CompiledAlgebra, subject: string, offset: number, definitions: readonly DomainDefinition[] = []): string | undefined {
  const parsed = parseSubject(algebra, subject);
  const token = parsed.tokens.find(t => offset >= t.start && offset <= t.end);
  if (!token) return undefined;
  const lines: string[] = [];
  if (token.wildcard) {
    lines.push(token.wildcard === '*' ? '**`*`** matches exactly one token here' : '**`>`** matches one or more tokens: the rest of the subject');
    if (token.role) lines.push(`in the **${token.role}** position`);
  } else if (token.role === CATEGORY_ROLE) {
    lines.push(parsed.category ? `**category** \`${token.text}\` — ${parsed.category.title ?? parsed.category.name}` : `**category** — \`${token.text}\` is not a category of ${algebra.spec.name}`);
    if (parsed.category?.description) lines.push(parsed.category.description);
  } else if (token.spec) {
    const style = token.spec.style ? `, ${STYLE_TEXT[token.spec.style]}` : '';
    lines.push(`**${token.role}** \`${token.text}\` — ${RULES[token.spec.rule](token.spec, algebra)}${style}`);
    if (token.spec.description) lines.push(token.spec.description);
  } else {
    lines.push(`\`${token.text}\` — beyond the shape of this category`);
  }
  if (parsed.category) {
    lines.push(`Pattern: \`${categoryPattern(algebra, parsed.category)}\``);
    const stream = streamFor(parsed.category, parsed.values);
    if (stream) lines.push(`Stored in stream \`${stream.name}\` (subjects \`${stream.subjects}\`, ${stream.spec.storage}, ${stream.spec.retention}${stream.spec.maxAge ? `, max age ${stream.spec.maxAge}` : ''})`);
  }
  lines.push(...domainLines(parsed.values, definitions));
  return lines.join('\n\n');
}

function domainLines(v: Record<string, string>, definitions: readonly DomainDefinition[]): string[] {
  for (const def of definitions) {
    if (v.event && v.aggregate) {
      const ev = findEvent(def, v.domain, v.aggregate, v.event);
      if (ev) {
        const fields = ev.fields.length ? ev.fields.map(f => `| \`${f.name}\` | ${f.type} |`).join('\n') : '';
        return [`**Event ${ev.name}** (${ev.id}) of ${def.name}${ev.description ? `: ${ev.description}` : ''}`, ...(fields ? [`| field | type |\n|---|---|\n${fields}`] : [])];
      }
    }
    if (v.action && v.aggregate) {
      const cmd = findCommand(def, v.domain, v.aggregate, v.action);
      if (cmd) return [`**Command ${cmd.name}** (${cmd.id}) of ${def.name}${cmd.description ? `: ${cmd.description}` : ''}`];
    }
  }
  return [];
}
