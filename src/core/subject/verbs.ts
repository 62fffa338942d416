// The past-tense / imperative heuristics behind the style rules.

/** Irregular past forms (events) and their base forms (commands). */
const IRREGULAR: Record<string, string> = {
  paid: 'pay', sent: 'send', built: 'build', sold: 'sell', bought: 'buy', made: 'make', done: 'do', held: 'hold',
  kept: 'keep', left: 'leave', lost: 'lose', met: 'meet', brought: 'bring', taught: 'teach', found: 'find', won: 'win',
  begun: 'begin', began: 'begin', written: 'write', taken: 'take', given: 'give', shown: 'show', known: 'know',
  grown: 'grow', drawn: 'draw', chosen: 'choose', frozen: 'freeze', spoken: 'speak', broken: 'break', forgotten: 'forget',
  withdrawn: 'withdraw', undone: 'undo', rebuilt: 'rebuild', resent: 'resend', spent: 'spend', lent: 'lend',
  got: 'get', gotten: 'get', bound: 'bind', sprung: 'spring', told: 'tell', understood: 'understand', laid: 'lay',
  overridden: 'override', rewritten: 'rewrite', hidden: 'hide', driven: 'drive', ridden: 'ride', seen: 'see', thrown: 'throw',
};
const PAST_OF: Record<string, string> = Object.fromEntries(Object.entries(IRREGULAR).map(([past, base]) => [base, past]));
/** Same in base and past form: never flagged either way. */
const INVARIANT = new Set(['set', 'reset', 'put', 'cut', 'shut', 'hit', 'quit', 'read', 'split', 'spread', 'upset', 'cast', 'broadcast', 'forecast', 'cost', 'let', 'bet', 'bid', 'input', 'output']);
/** Base forms that happen to end in -ed. */
const ED_BASES = new Set(['embed', 'feed', 'seed', 'need', 'shed', 'speed', 'bleed', 'breed', 'proceed', 'succeed', 'exceed', 'shred', 'wed', 'red', 'bed', 'reed', 'heed', 'weed', 'bred']);
/** States a saga may be in besides past-tense events. */
export const SAGA_STATES = new Set(['pending', 'running', 'waiting', 'active', 'idle', 'compensating', 'in-progress', 'timeout', 'timed-out', 'started', 'completed', 'failed', 'cancelled', 'canceled', 'succeeded', 'aborted', 'expired', 'suspended', 'resumed']);

export function isPastTense(word: string): boolean {
  if (word.length > 3 && word.endsWith('ed')) return !ED_BASES.has(word);
  return INVARIANT.has(word) || Object.prototype.hasOwnProperty.call(IRREGULAR, word);
}

export function looksImperative(word: string): boolean {
  if (INVARIANT.has(word)) return true;
  return !isPastTense(word) && !word.endsWith('ing');
}

const VOWEL = /[aeiou]/;
/** The past form of a base verb (create → created, ship → shipped, apply → applied, pay → paid). */
export function pastOf(base: string): string {
  if (PAST_OF[base]) return PAST_OF[base];
  // a gerund becomes the past of its stem: processing → processed, shipping → shipped
  if (base.length > 5 && base.endsWith('ing')) return base.slice(0, -3) + 'ed';
  if (base.endsWith('e')) return base + 'd';
  if (/[^aeiou]y$/.test(base)) return base.slice(0, -1) + 'ied';
  // one-syllable consonant-vowel-consonant verbs double the consonant: ship → shipped
  if (base.length <= 4 && /^[^aeiou]*[aeiou][^aeiouwxy]$/.test(base)) return base + base.at(-1) + 'ed';
  return base + 'ed';
}

/** The base form of a past verb when the heuristic is sure, else undefined (created → create, shipped → ship). */
export function baseOf(past: string): string | undefined {
  if (IRREGULAR[past]) return IRREGULAR[past];
  if (!past.endsWith('ed') || ED_BASES.has(past)) return undefined;
  if (past.endsWith('ied')) return past.slice(0, -3) + 'y';
  const stem = past.slice(0, -2);
  if (/(at|iz|is|or|ur|v|c|g|ut|as|os|us)$/.test(stem)) return stem + 'e';
  const last = stem.at(-1) ?? '';
  if (stem.length > 2 && last === stem.at(-2) && !/[dlsfz]/.test(last)) return stem.slice(0, -1);
  if (stem.length > 2 && !VOWEL.test(last) && !VOWEL.test(stem.at(-2) ?? '')) return stem;
  return undefined;
}
