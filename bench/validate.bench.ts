// The validator against a bare split('.') over the same corpus, and completion latency with 10,000 names.
import { randomUUID } from 'node:crypto';
import { NameIndex, completeSubject, preset, validateSubject } from '../src/core';
import { perCallMicros, percentile, pick, seededRandom, time, type Figure } from './lib';

const CORPUS = 100_000;
const ENVS = ['dev', 'staging', 'prod'];
const DOMAINS = ['sales', 'inventory', 'customer', 'order-history', 'billing'];
const AGGREGATES = ['order', 'product', 'customer', 'invoice'];
const IDS = Array.from({ length: 64 }, () => randomUUID());

/** Valid subjects of every category, and about one in four broken in one of the ways users break them. */
function corpus(random: () => number): string[] {
  const valid = [
    () => `${pick(random, ENVS)}.domain.${pick(random, DOMAINS)}.${pick(random, AGGREGATES)}.${pick(random, ['created', 'shipped', 'paid'])}.${pick(random, IDS)}`,
    () => `${pick(random, ENVS)}.command.${pick(random, DOMAINS)}.${pick(random, AGGREGATES)}.${pick(random, ['create', 'ship', 'update'])}`,
    () => `${pick(random, ENVS)}.projection.${pick(random, ['order-summary', 'customer-list'])}.${pick(random, ['update', 'refresh'])}`,
    () => `${pick(random, ENVS)}.saga.${pick(random, ['order-fulfillment', 'returns'])}.${pick(random, ['started', 'payment-processed'])}`,
    () => `${pick(random, ENVS)}.snapshot.${pick(random, DOMAINS)}.${pick(random, AGGREGATES)}.${pick(random, IDS)}`,
  ];
  const invalid = [
    () => `qa.domain.sales.order.created.${pick(random, IDS)}`,
    () => `dev.domian.sales.order.created.${pick(random, IDS)}`,
    () => `dev.sales.order.created.${pick(random, IDS)}`,
    () => `dev.domain.Sales.OrderCreated.${pick(random, IDS)}`,
    () => 'dev.command.sales.order',
    () => 'dev..domain.sales',
    () => `dev.domain.sales.order.create.123`,
  ];
  return Array.from({ length: CORPUS }, () => (random() < 0.75 ? pick(random, valid) : pick(random, invalid))());
}

export async function run(): Promise<Figure[]> {
  const algebra = preset();
  const subjects = corpus(seededRandom(7));
  let sink = 0;
  const split = time(() => { for (const s of subjects) sink += s.split('.').length; }, { runs: 7, warmupRuns: 2 });
  const full = time(() => { for (const s of subjects) sink += validateSubject(algebra, s).length; }, { runs: 7, warmupRuns: 2 });
  const ratio = full.medianMs / split.medianMs;

  const random = seededRandom(11);
  const names = new NameIndex(Array.from({ length: 10_000 }, (_, i) => ({ role: pick(random, ['domain', 'aggregate', 'event', 'view']), value: `name-${i}`, scope: { domain: pick(random, DOMAINS) } })));
  const prefixes = ['', 'dev.', 'dev.domain.', 'dev.domain.sales.', 'dev.domain.sales.order.', 'prod.projection.', 'dev.domain.sales.order.created.'];
  for (let i = 0; i < 2000; i++) completeSubject(algebra, pick(random, prefixes), 0, { names });
  const samples = perCallMicros(i => {
    const p = prefixes[i % prefixes.length]!;
    sink += completeSubject(algebra, p, p.length, { names, pattern: i % 2 === 0 }).items.length;
  }, 20_000);
  if (sink === 0) throw new Error('nothing measured');
  const p99 = percentile(samples, 99) / 1000;
  return [
    { name: 'validate throughput', value: CORPUS / (full.medianMs / 1000), unit: 'subjects/s' },
    { name: 'validate cost vs bare split(".")', value: ratio, unit: 'x', goal: '<= 4x', ok: ratio <= 4 },
    { name: 'completion p50 with 10,000 names', value: percentile(samples, 50) / 1000, unit: 'ms' },
    { name: 'completion p99 with 10,000 names', value: p99, unit: 'ms', goal: '< 1 ms', ok: p99 < 1 },
  ];
}
