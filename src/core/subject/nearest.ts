// Typo suggestions: optimal-string-alignment distance, so a swap such as `domian` costs one edit.

let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Distance of a and b, or max + 1 once it is certain to exceed max; three reused rows, no allocation. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (b.length + 1 > rows[0]!.length) rows = rows.map(() => new Int32Array(b.length + 1));
  let [prev2, prev, cur] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/** The closest candidates to a word, at most `max` edits away (case-insensitive matches first). */
export function nearest(word: string, candidates: Iterable<string>, max = 2): string[] {
  const lower = word.toLowerCase();
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase(), Math.min(max, Math.max(1, c.length >> 1)));
    if (d <= max && d <= Math.max(1, c.length >> 1)) scored.push({ c, d });
  }
  return scored.sort((x, y) => x.d - y.d).map(s => s.c);
}
