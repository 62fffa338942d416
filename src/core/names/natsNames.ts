// Stream and consumer names as nats-server accepts them: checked before anything is sent.

const FORBIDDEN = /[\s.*>\\/]/;

/** One sentence when `name` cannot be a stream or consumer name, else undefined. */
export function natsNameProblem(name: string, what: 'stream' | 'consumer'): string | undefined {
  if (!name) return `A ${what} name cannot be empty.`;
  if (name.length > 255) return `A ${what} name is at most 255 characters; this one has ${name.length}.`;
  const bad = FORBIDDEN.exec(name);
  if (bad) {
    const shown = /\s/.test(bad[0]) ? 'whitespace' : `"${bad[0]}"`;
    return `"${name}" cannot be a ${what} name: it holds ${shown} (names hold no whitespace, ".", "*", ">", "/" or "\\").`;
  }
  return undefined;
}
