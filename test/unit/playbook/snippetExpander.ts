// Fills a VS Code snippet body with its defaults, as accepting every tab stop unchanged would:
// choices take their first option, mirrors copy their placeholder, `${n/(.*)/${1:/pascalcase}/}` transforms.

const PASCAL = (v: string): string => (v.match(/[a-z0-9]+/gi) ?? [v]).map(w => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/** Reads up to the unescaped `stop` from i; returns the unescaped text and the index of `stop`. */
function until(s: string, i: number, stop: string): [string, number] {
  let out = '';
  while (i < s.length && !s.startsWith(stop, i)) {
    if (s[i] === '\\' && i + 1 < s.length && '$}\\/|,'.includes(s[i + 1]!)) {
      out += s[i + 1];
      i += 2;
    } else out += s[i++];
  }
  if (i >= s.length) throw new Error(`unterminated snippet element, expected ${stop}`);
  return [out, i];
}

/** A transform's format part: `${1:/pascalcase}` holds a slash of its own, so `${...}` is read whole. */
function formatUntilSlash(s: string, i: number): [string, number] {
  let out = '';
  while (i < s.length && s[i] !== '/') {
    if (s.startsWith('${', i)) {
      const close = s.indexOf('}', i);
      out += s.slice(i, close + 1);
      i = close + 1;
    } else out += s[i++];
  }
  return [out, i];
}

function render(s: string, values: Map<number, string>): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\' && '$}\\'.includes(s[i + 1] ?? '')) {
      out += s[i + 1];
      i += 2;
      continue;
    }
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const plain = /^\$(\d+)/.exec(s.slice(i));
    if (plain) {
      out += values.get(Number(plain[1])) ?? '';
      i += plain[0].length;
      continue;
    }
    const open = /^\$\{(\d+)/.exec(s.slice(i));
    if (!open) throw new Error(`unsupported snippet syntax at ${s.slice(i, i + 20)}`);
    const n = Number(open[1]);
    const j = i + open[0].length;
    const kind = s[j];
    if (kind === '}') {
      out += values.get(n) ?? '';
      i = j + 1;
    } else if (kind === ':') {
      const [text, end] = until(s, j + 1, '}');
      if (!values.has(n)) values.set(n, text);
      out += values.get(n);
      i = end + 1;
    } else if (kind === '|') {
      const [options, end] = until(s, j + 1, '|}');
      const first = options.split(',')[0]!;
      if (!values.has(n)) values.set(n, first);
      out += values.get(n);
      i = end + 2;
    } else if (kind === '/') {
      const [re, reEnd] = until(s, j + 1, '/');
      const [format, fEnd] = formatUntilSlash(s, reEnd + 1);
      const [flags, end] = until(s, fEnd + 1, '}');
      if (format !== '${1:/pascalcase}') throw new Error(`unsupported transform format ${format}`);
      out += (values.get(n) ?? '').replace(new RegExp(re, flags), (_m, g1: string) => PASCAL(g1));
      i = end + 1;
    } else throw new Error(`unsupported snippet element at ${s.slice(i, i + 20)}`);
  }
  return out;
}

export function expandSnippet(body: string | string[]): string {
  const text = Array.isArray(body) ? body.join('\n') : body;
  const values = new Map<number, string>();
  render(text, values);
  return render(text, values);
}
