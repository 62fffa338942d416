// Stream coverage: the CoverageIndex against a loop over every stream, and a workspace report against reading its files.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preset } from '../src/core/algebra/compiled';
import { CoverageIndex, coverageReport, layoutFromAlgebra, scanSources, type LayoutStream, type SourceFile } from '../src/core/coverage';
import { matches } from '../src/core/pattern';
import { percentile, pick, seededRandom, time, type Figure } from './lib';

const SUBJECTS = 100_000;
const FILES = 10_000;
const LINES_PER_FILE = 120;
/** One line in so many holds a subject: about one a file, as in most code; and code that does little else. */
const TYPICAL_EVERY = 100;
const DENSE_EVERY = 15;
const SPEEDUP_GOAL = 20;
const SMALL_GOAL = 1;
const REPORT_GOAL = 3;
const REPORT_RUNS = 7;

const ENVS = ['dev', 'staging', 'prod'];
const WORDS = ['sales', 'customer', 'inventory', 'billing', 'shipping', 'catalog', 'payment', 'pricing', 'returns', 'loyalty', 'support'];
const DOMAINS = [...WORDS, ...WORDS.flatMap(a => WORDS.filter(b => b !== a).map(b => `${a}-${b}`))];
const AGGREGATES = ['order', 'customer', 'product', 'invoice', 'shipment', 'cart'];
const EVENTS = ['created', 'updated', 'shipped', 'paid', 'cancelled', 'registered'];
const ACTIONS = ['create', 'update', 'ship', 'cancel', 'register'];

const cim = preset('cim-start');

function subjects(random: () => number, domains: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < SUBJECTS; i++) {
    const env = pick(random, ENVS);
    // a tenth of the subjects name a domain no stream is for
    const d = random() < 0.1 ? `unknown-${i % 50}` : pick(random, domains);
    const r = random();
    if (r < 0.6) out.push(`${env}.domain.${d}.${pick(random, AGGREGATES)}.${pick(random, EVENTS)}.${randomUUID()}`);
    else if (r < 0.8) out.push(`${env}.command.${d}.${pick(random, AGGREGATES)}.${pick(random, ACTIONS)}`);
    else if (r < 0.9) out.push(`${env}.projection.order-summary.update`);
    else out.push(`${env}.snapshot.${d}.${pick(random, AGGREGATES)}.${randomUUID()}`);
  }
  return out;
}

/** What the index replaces: every subject of every stream, for every subject asked about. */
function naiveCapturing(streams: readonly LayoutStream[], subject: string): LayoutStream[] {
  const out: LayoutStream[] = [];
  for (const s of streams) {
    for (const p of s.subjects) {
      if (matches(p, subject)) {
        out.push(s);
        break;
      }
    }
  }
  return out;
}

function captureFigures(label: string, streams: LayoutStream[], subs: readonly string[], goal: number): Figure[] {
  const index = new CoverageIndex({ streams, where: 'in the bench', source: 'algebra' });
  let naiveHits = 0;
  let indexHits = 0;
  const naive = time(() => {
    naiveHits = 0;
    for (const s of subs) naiveHits += naiveCapturing(streams, s).length;
  }, streams.length > 100 ? { runs: 1, warmupRuns: 0 } : { runs: 7 });
  const indexed = time(() => {
    indexHits = 0;
    for (const s of subs) indexHits += index.capturing(s).streams.length;
  }, { runs: 7, warmupRuns: 2 });
  if (naiveHits !== indexHits) throw new Error(`${label}: the index found ${indexHits} captures, the loop ${naiveHits}`);
  const build = time(() => new CoverageIndex({ streams, where: '', source: 'algebra' }), { runs: 7 });
  const speedup = naive.medianMs / indexed.medianMs;
  const shape = `${SUBJECTS.toLocaleString('en')} subjects × ${streams.length.toLocaleString('en')} streams`;
  return [
    { name: `coverage-capture speedup vs naive scan, ${label}`, value: speedup, unit: 'x', goal: `>= ${goal}x`, ok: speedup >= goal },
    { name: `coverage-capture naive scan, ${shape}`, value: naive.medianMs, unit: 'ms' },
    { name: `coverage-capture CoverageIndex, ${shape}`, value: indexed.medianMs, unit: 'ms' },
    { name: `coverage-capture captures found (both ways), ${label}`, value: indexHits, unit: '' },
    { name: `coverage-index build, ${streams.length.toLocaleString('en')} streams`, value: build.medianMs, unit: 'ms' },
  ];
}

/** A workspace of FILES files: TypeScript with a few subject literals among ordinary code, playbooks, domain definitions. */
function writeWorkspace(dir: string, random: () => number, subjectEvery: number): void {
  const subjectLines = [
    (d: string) => `  await js.publish('dev.domain.${d}.${pick(random, AGGREGATES)}.${pick(random, EVENTS)}.${randomUUID()}', payload);`,
    (d: string) => `  const subject = \`dev.domain.${d}.order.\${event}.\${id}\`;`,
    (d: string) => `  nc.request('dev.command.${d}.${pick(random, AGGREGATES)}.${pick(random, ACTIONS)}', body);`,
    (d: string) => `  nc.subscribe('dev.domain.${d}.>');`,
  ];
  // ordinary TypeScript: a quarter of the lines hold a string, one in twenty something the scanner must look at twice
  const otherLines = [
    `  const host = 'dev.example.com'; const retries = 3;`,
    `  logger.info('order %s handled in %d ms', order.id, Date.now() - started);`,
    `  await repository.save({ id, status: 'placed', updatedAt: new Date().toISOString() });`,
    `  const { data, error } = await client.get<OrderDto>(\`/orders/\${encodeURIComponent(id)}\`);`,
    `  metrics.histogram('handler_duration_ms').observe(performance.now() - started);`,
    `  if (result.length > limit) {`,
    `    return result.slice(0, limit).map(x => x.name);`,
    `  }`,
    `  // nothing here is a subject, yet every character is read`,
    `  const total = items.reduce((sum, item) => sum + item.price * item.quantity, 0);`,
    `  for (const line of order.lines) {`,
    `    if (!line.sku) continue;`,
    `    totals.set(line.sku, (totals.get(line.sku) ?? 0) + line.quantity);`,
    `  }`,
    `  return { ...state, version: state.version + 1, lines: [...state.lines, line] };`,
    `  const started = performance.now();`,
    `  const order = await orders.find(id);`,
    `  state = reduce(state, event);`,
    `  await Promise.all(handlers.map(h => h(event, context)));`,
    `  expect(result).toEqual(expected);`,
  ];
  for (let i = 0; i < FILES; i++) {
    const folder = join(dir, `pkg-${i % 100}`);
    if (i < 100) mkdirSync(folder, { recursive: true });
    const d = pick(random, DOMAINS.slice(0, 30));
    if (i % 100 === 0) {
      const events = AGGREGATES.map((a, k) => `  - id: E${k}\n    name: ${a[0]!.toUpperCase()}${a.slice(1)}Created\n    aggregate: ${a[0]!.toUpperCase()}${a.slice(1)}\n`).join('');
      mkdirSync(join(folder, 'domains', d), { recursive: true });
      writeFileSync(join(folder, 'domains', d, 'domain-definition.yaml'), `domain:\n  name: ${d}\nevents:\n${events}`);
    } else if (i % 10 === 0) {
      writeFileSync(join(folder, `flow-${i}.nats`), `### Placed\n@id = {{uuid}}\nPUB {{env}}.domain.${d}.order.created.{{id}}\nNats-Msg-Id: {{id}}\n\n{"event_id": "{{id}}"}\n\n### Tail\nSUB dev.domain.${d}.>\n`);
    } else {
      const lines = [`// module ${i}`, `export async function handle${i}(js: Js, nc: Nc, payload: Uint8Array): Promise<void> {`];
      for (let k = 0; k < LINES_PER_FILE; k++) lines.push(random() < 1 / subjectEvery ? pick(random, subjectLines)(d) : pick(random, otherLines));
      lines.push('}');
      writeFileSync(join(folder, `module-${i}.ts`), lines.join('\n') + '\n');
    }
  }
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** One file at a time, as `cim-nats coverage` reads them (both sides of the ratio): no file's text outlives its use. */
function* eachFile(dir: string): Generator<SourceFile> {
  for (const path of walk(dir)) yield { path: path.slice(dir.length + 1), text: readFileSync(path, 'utf8') };
}

function reportFigures(subjectEvery: number, goal: boolean): Figure[] {
  const dir = mkdtempSync(join(tmpdir(), 'cim-nats-coverage-bench-'));
  try {
    writeWorkspace(dir, seededRandom(7), subjectEvery);
    let bytes = 0;
    const readOnce = () => {
      bytes = 0;
      for (const f of eachFile(dir)) bytes += f.text.length;
    };
    let rows = 0;
    let sources = 0;
    const reportOnce = () => {
      const scanned = scanSources(cim, eachFile(dir), { environment: 'dev' });
      const layout = layoutFromAlgebra(cim, { environments: ['dev'], domains: DOMAINS.slice(0, 25) });
      const r = coverageReport({ algebra: cim, layout, sources: scanned.sources, definitions: scanned.definitions });
      if (!r.markdown.startsWith('# Stream coverage')) throw new Error('no report');
      rows = r.data.subjects.length;
      sources = scanned.sources.length;
    };
    readOnce();
    reportOnce();
    // the two sides take turns, so a busy moment of the machine falls on both; the ratio is the median of the pairs
    const pairs: { read: number; report: number }[] = [];
    for (let r = 0; r < REPORT_RUNS; r++) {
      const read = time(readOnce, { runs: 1, warmupRuns: 0 }).bestMs;
      pairs.push({ read, report: time(reportOnce, { runs: 1, warmupRuns: 0 }).bestMs });
    }
    const read = { medianMs: percentile(pairs.map(p => p.read), 50) };
    const report = { medianMs: percentile(pairs.map(p => p.report), 50) };
    const ratio = percentile(pairs.map(p => p.report / p.read), 50);
    const shape = `${FILES.toLocaleString('en')} files, a subject in one line of ${subjectEvery}`;
    return [
      { name: `coverage-report vs reading the files, ${shape}`, value: ratio, unit: 'x', ...(goal ? { goal: `<= ${REPORT_GOAL}x`, ok: ratio <= REPORT_GOAL } : {}) },
      { name: `coverage-report walk + read + scan + report (${(bytes / 1e6).toFixed(0)} MB), ${shape}`, value: report.medianMs, unit: 'ms' },
      { name: `coverage-report walk + read only, ${shape}`, value: read.medianMs, unit: 'ms' },
      { name: `coverage-report subjects found, ${shape}`, value: sources, unit: '' },
      { name: `coverage-report distinct subjects in the report, ${shape}`, value: rows, unit: '' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Figure[]> {
  const random = seededRandom(20240612);
  // 1,000 streams: three environments' CIM streams for 110 domains and the shared ones, as a big account would hold
  const large = layoutFromAlgebra(cim, { environments: ENVS, domains: DOMAINS.slice(0, 111) }).streams.slice(0, 1_000);
  const small = layoutFromAlgebra(cim, { environments: ['dev'], domains: ['sales', 'billing', 'customer'] }).streams.slice(0, 10);
  const subs = subjects(random, DOMAINS.slice(0, 111));
  return [
    ...captureFigures('1,000 streams', large, subs, SPEEDUP_GOAL),
    ...captureFigures('10 streams', small, subs, SMALL_GOAL),
    ...reportFigures(TYPICAL_EVERY, true),
    ...reportFigures(DENSE_EVERY, false),
  ];
}
