// CaptureIndex against the naive loop it replaces: which streams capture each of many CIM subjects.
import { randomUUID } from 'node:crypto';
import { CaptureIndex, matches, meet } from '../src/core/pattern';
import { perCallMicros, percentile, pick, seededRandom, time, type Figure } from './lib';

const SUBJECTS = 10_000;
const PATTERNS = 1_000;
const GOAL = 20;

const ENVS = ['dev', 'staging', 'prod'];
const WORDS = ['sales', 'customer', 'inventory', 'billing', 'shipping', 'catalog', 'payment', 'pricing', 'returns', 'loyalty', 'support'];
const AGGREGATES = ['order', 'customer', 'product', 'invoice', 'shipment', 'cart', 'account'];
const EVENTS = ['created', 'updated', 'shipped', 'paid', 'cancelled', 'registered'];
const ACTIONS = ['create', 'update', 'ship', 'cancel', 'register'];
const VIEWS = ['order-summary', 'customer-list', 'inventory-levels'];
const OPERATIONS = ['update', 'refresh', 'sync'];
const PROCESSES = ['order-fulfillment', 'payment-flow', 'returns'];
const SAGA_EVENTS = ['started', 'completed', 'failed', 'payment-processed'];

/** 121 kebab-case domains: every word alone and every pair, so patterns rarely repeat. */
const DOMAINS = [...WORDS, ...WORDS.flatMap((a) => WORDS.filter((b) => b !== a).map((b) => `${a}-${b}`))];

/** Stream subjects in both documented forms, plus the narrower filters consumers use. */
function streamPatterns(random: () => number): Array<[string, string]> {
  const shapes: Array<(env: string, d: string) => string> = [
    (env, d) => `${env}.domain.${d}.>`,
    (env, d) => `${env}.command.${d}.>`,
    (env, d) => `${env}.snapshot.${d}.>`,
    (_env, d) => `*.domain.${d}.>`,
    (env, d) => `${env}.domain.${d}.${pick(random, AGGREGATES)}.>`,
    (env, d) => `${env}.domain.${d}.*.${pick(random, EVENTS)}.*`,
    (env) => `${env}.${pick(random, ['projection', 'saga'])}.>`,
  ];
  const found = new Set<string>();
  while (found.size < PATTERNS) found.add(pick(random, shapes)(pick(random, ENVS), pick(random, DOMAINS)));
  return [...found].map((p, i) => [p, `STREAM_${i}`]);
}

function subjects(random: () => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < SUBJECTS; i++) {
    const env = pick(random, ENVS);
    // A tenth of the domains are unknown to every pattern, so some subjects miss.
    const d = random() < 0.1 ? `unknown-${i % 50}` : pick(random, DOMAINS);
    const r = random();
    if (r < 0.5) out.push(`${env}.domain.${d}.${pick(random, AGGREGATES)}.${pick(random, EVENTS)}.${randomUUID()}`);
    else if (r < 0.7) out.push(`${env}.command.${d}.${pick(random, AGGREGATES)}.${pick(random, ACTIONS)}`);
    else if (r < 0.8) out.push(`${env}.projection.${pick(random, VIEWS)}.${pick(random, OPERATIONS)}`);
    else if (r < 0.9) out.push(`${env}.saga.${pick(random, PROCESSES)}.${pick(random, SAGA_EVENTS)}`);
    else out.push(`${env}.snapshot.${d}.${pick(random, AGGREGATES)}.${randomUUID()}`);
  }
  return out;
}

export async function run(): Promise<Figure[]> {
  const random = seededRandom(20240611);
  const patterns = streamPatterns(random);
  const subs = subjects(random);
  const build = time(() => new CaptureIndex(patterns), { runs: 5 });
  const index = new CaptureIndex(patterns);

  let naiveHits = 0;
  let indexHits = 0;
  const naive = time(() => {
    naiveHits = 0;
    for (const s of subs) for (const [p] of patterns) if (matches(p, s)) naiveHits++;
  });
  const indexed = time(() => {
    indexHits = 0;
    for (const s of subs) indexHits += index.capture(s).length;
  }, { runs: 20, warmupRuns: 3 });
  // A speedup is only worth reporting if both sides found the same captures.
  if (naiveHits !== indexHits) throw new Error(`index found ${indexHits} captures, the loop ${naiveHits}`);

  const perSubject = perCallMicros((i) => index.capture(subs[i]!), subs.length);
  const queries = patterns.slice(0, 100).map(([p]) => p);
  const overlapNaive = time(() => {
    for (const q of queries) for (const [p] of patterns) meet(p, q);
  });
  const overlapIndexed = time(() => {
    for (const q of queries) index.overlaps(q);
  }, { runs: 20, warmupRuns: 3 });

  const speedup = naive.medianMs / indexed.medianMs;
  const shape = `${SUBJECTS.toLocaleString('en')} subjects × ${PATTERNS.toLocaleString('en')} patterns`;
  return [
    { name: 'pattern-capture speedup vs naive loop', value: speedup, unit: 'x', goal: `>= ${GOAL}x`, ok: speedup >= GOAL },
    { name: `pattern-capture naive loop, ${shape}`, value: naive.medianMs, unit: 'ms' },
    { name: `pattern-capture CaptureIndex, ${shape}`, value: indexed.medianMs, unit: 'ms' },
    { name: 'pattern-capture per subject p50', value: percentile(perSubject, 50), unit: 'µs' },
    { name: 'pattern-capture per subject p99', value: percentile(perSubject, 99), unit: 'µs' },
    { name: `pattern-capture captures found (both ways)`, value: indexHits, unit: '' },
    { name: `pattern-index build, ${PATTERNS.toLocaleString('en')} patterns`, value: build.medianMs, unit: 'ms' },
    { name: 'pattern-overlaps speedup vs naive meet loop', value: overlapNaive.medianMs / overlapIndexed.medianMs, unit: 'x' },
  ];
}
