// Finding subject-like string literals in source text: one scanner for `cim-nats lint` and the editor.
import type { CompiledAlgebra } from '../algebra/compiled';
import type { TokenSpec } from '../algebra/schema';
import { nearest } from '../subject/nearest';
import { validateSubject } from '../subject/validate';
import { escapeRegExp, YAML_SCALAR_LEAD } from '../text/patterns';

export interface SubjectLiteral {
  subject: string;
  /** Offsets of the subject text (inside the quotes) in the document. */
  start: number;
  end: number;
  /** Holds a wildcard token: checked as a pattern. */
  pattern: boolean;
  /** Cut at an interpolation (`${`, `{`, `%`) or ending in a dot (a prefix for concatenation): only the tokens before are whole. */
  truncated: boolean;
}

function tokenSource(spec: TokenSpec | undefined, algebra: CompiledAlgebra): string {
  if (spec?.rule === 'environment') return `(?:${[...algebra.environments].map(escapeRegExp).join('|')})`;
  if (spec?.rule === 'enum') return `(?:${(spec.values ?? []).map(escapeRegExp).join('|')})`;
  return '[A-Za-z0-9_-]+';
}

/** Literals are recognised by their prefix tokens; the category token is checked in code (known or a near miss). */
function literalRegex(algebra: CompiledAlgebra, yaml: boolean): RegExp {
  const prefix = algebra.spec.prefix.map(t => tokenSource(t, algebra)).join('\\.');
  const head = prefix ? `${prefix}\\.[A-Za-z0-9_*>-]+` : '[A-Za-z0-9_*>-]+';
  const body = `(?:[^"'\`\\n$%{]|\\$(?!\\{))*`;
  const quoted = `(["'\`])(${head}${body})`;
  // YAML's plain scalars, unquoted: after `key: `, `- `, `- key: `, or inside a flow collection `[a, b]`
  const plain = yaml ? `|(?<=${YAML_SCALAR_LEAD}|[\\[,{][ \\t]*)(${head}[^\\s#,\\]}'"]*)` : '';
  return new RegExp(quoted + plain, 'gm');
}

/** The whole subject is the legacy form exactly: inserting the category makes it valid. */
function isLegacyForm(algebra: CompiledAlgebra, tokens: string[]): boolean {
  const insert = algebra.spec.legacy?.insertCategory;
  const category = insert ? algebra.categories.get(insert) : undefined;
  if (!insert || !category || tokens.length !== algebra.categoryIndex + category.tokens.length) return false;
  const fixed = [...tokens.slice(0, algebra.categoryIndex), insert, ...tokens.slice(algebra.categoryIndex)].join('.');
  return !validateSubject(algebra, fixed, { style: false }).some(p => p.severity === 'error');
}

/** Last tokens of host and file names: a literal ending so is a subject only if it is a valid one. */
const NOT_SUBJECT_TAIL = new Set(['gz', 'tar', 'zip', 'png', 'svg', 'csv', 'com', 'org', 'net', 'io', 'local', 'internal', 'json', 'yaml', 'yml', 'js', 'ts', 'txt', 'md', 'html', 'xml', 'toml', 'env', 'log', 'conf', 'cfg', 'ini']);

const cache = new WeakMap<CompiledAlgebra, { source: RegExp; yaml: RegExp }>();

export function findSubjectLiterals(algebra: CompiledAlgebra, text: string, yaml = false): SubjectLiteral[] {
  let rx = cache.get(algebra);
  if (!rx) cache.set(algebra, (rx = { source: literalRegex(algebra, false), yaml: literalRegex(algebra, true) }));
  const re = yaml ? rx.yaml : rx.source;
  re.lastIndex = 0;
  const out: SubjectLiteral[] = [];
  const ci = algebra.categoryIndex;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const quote = m[1];
    let subject = m[2] ?? m[3]!;
    const start = m.index + (quote ? 1 : 0);
    const after = text.charAt(start + subject.length);
    let truncated = false;
    if (quote) {
      if (after === '$' || after === '{' || after === '%') truncated = true;
      else if (after !== quote) continue;
    }
    // paths, URLs, e-mail addresses and prose are not subjects
    if (/[/:@\\ \t]/.test(subject)) continue;
    if (truncated) {
      // keep only the whole tokens before the interpolation
      subject = subject.slice(0, Math.max(0, subject.lastIndexOf('.')));
    } else if (subject.endsWith('.')) {
      // a prefix written for concatenation or startsWith: its tokens are whole, what follows is not missing
      truncated = true;
      subject = subject.slice(0, -1);
    }
    if (!subject) continue;
    const tokens = subject.split('.');
    const cat = tokens[ci];
    if (cat === undefined) continue;
    if (!algebra.categories.has(cat) && cat !== '*' && cat !== '>') {
      // a near miss (a typo such as `domian`) or the older category-less form is reported; anything else is an ordinary string
      // one edit only: `data`, `page` or `main` two edits from a category are ordinary words
      const nearMiss = tokens.length >= ci + 3 && nearest(cat, algebra.categories.keys(), 1).length > 0;
      if (!nearMiss && !isLegacyForm(algebra, tokens)) continue;
    }
    if (NOT_SUBJECT_TAIL.has(tokens[tokens.length - 1]!) && validateSubject(algebra, subject, { pattern: true, style: false }).some(p => p.severity === 'error')) continue;
    out.push({ subject, start, end: start + subject.length, pattern: tokens.includes('*') || tokens.includes('>'), truncated });
  }
  return out;
}
