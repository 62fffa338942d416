// Turning names as people write them (OrderPlaced, order_summary, Example Business) into subject tokens and back.

export type NameCase = 'kebab' | 'snake';

// An upper-case run not followed by lower case is an acronym (HTTPRequest -> http, request); digits stay with their word.
const WORD_RE = /[A-Z]+[0-9]*(?![a-z])|[A-Z]?[a-z]+[0-9]*|[0-9]+/g;

/** The lower-case words of a name: `OrderItemAdded` -> [order, item, added]; `add_node` -> [add, node]. */
export function nameWords(name: string): string[] {
  const words: string[] = [];
  for (const m of name.matchAll(WORD_RE)) words.push(m[0].toLowerCase());
  return words;
}

export function joinWords(words: readonly string[], nameCase: NameCase): string {
  return words.join(nameCase === 'snake' ? '_' : '-');
}

/** A subject token for a name: `OrderItemAdded` -> `order-item-added` (kebab) or `order_item_added` (snake). */
export function toNameToken(pascal: string, nameCase: NameCase): string {
  return joinWords(nameWords(pascal), nameCase);
}

/** A PascalCase name for a token: `item-added` -> `ItemAdded`, `add_node` -> `AddNode`. */
export function toPascalCase(token: string): string {
  return nameWords(token).map(w => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

export function isPascalCase(name: string): boolean {
  return /^[A-Z][A-Za-z0-9]*$/.test(name);
}

/** Two names mean the same token whatever their case: `ShoppingCart`, `shopping-cart`, `shopping_cart`. */
export function sameName(a: string, b: string): boolean {
  return toNameToken(a, 'kebab') === toNameToken(b, 'kebab');
}

export function startsWithWords(words: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length > 0 && prefix.length <= words.length && prefix.every((w, i) => words[i] === w);
}

export function endsWithWords(words: readonly string[], suffix: readonly string[]): boolean {
  const off = words.length - suffix.length;
  return suffix.length > 0 && off >= 0 && suffix.every((w, i) => words[off + i] === w);
}
