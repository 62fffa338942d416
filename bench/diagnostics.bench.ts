// A full diagnostics pass over large files, against reading the text and splitting it into lines.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintText, preset, type FileKind } from '../src/core';
import { pick, seededRandom, time, type Figure } from './lib';

const ID = '550e8400-e29b-41d4-a716-446655440000';

function playbook(lines: number, random: () => number): string {
  const blocks = [
    `### Place\nPUB dev.domain.sales.order.placed.{{uuid}}\nNats-Msg-Id: {{uuid}}\n\n{"event_id": "{{uuid}}", "data": {"total": 1}}\n`,
    `### Tail\nSUB dev.domain.sales.>\n`,
    `### Broken\nPUB dev.domian.sales.Order.create.123\n\n{"x": 1}\n`,
    `### Ask\nREQ prod.projection.order-summary.refresh timeout=2s\n\n{}\n`,
  ];
  const out: string[] = ['@env = dev'];
  let n = 1;
  while (n < lines) {
    const b = pick(random, blocks);
    out.push(b);
    n += b.split('\n').length - 1;
  }
  return out.join('\n');
}

function typescript(lines: number, random: () => number): string {
  const rows = [
    `const a = 'dev.domain.sales.order.created.${ID}';`,
    `nc.subscribe("dev.command.inventory.>");`,
    `const t = \`prod.domain.sales.order.\${event}.\${id}\`;`,
    `const h = 'dev.example.com'; const n = 42;`,
    `function f(x: number): number { return x * 2; }`,
    `js.publish('dev.domian.sales.Order.created.123', data);`,
    `// plain comment with no subject at all`,
  ];
  return Array.from({ length: lines }, () => pick(random, rows)).join('\n');
}

function measure(name: string, path: string, kind: FileKind): Figure[] {
  const algebra = preset();
  let sink = 0;
  const base = time(() => { sink += readFileSync(path, 'utf8').split('\n').length; }, { runs: 7, warmupRuns: 2 });
  const full = time(() => { sink += lintText(algebra, readFileSync(path, 'utf8'), kind).length; }, { runs: 7, warmupRuns: 2 });
  if (sink === 0) throw new Error('nothing measured');
  return [
    { name: `diagnostics ${name} full pass`, value: full.medianMs, unit: 'ms' },
    { name: `diagnostics ${name} vs read + split lines`, value: full.medianMs / base.medianMs, unit: 'x' },
  ];
}

export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cim-nats-bench-'));
  try {
    const random = seededRandom(3);
    const nats = join(dir, 'big.nats');
    const ts = join(dir, 'big.ts');
    writeFileSync(nats, playbook(50_000, random));
    writeFileSync(ts, typescript(20_000, random));
    return [...measure('50,000-line .nats', nats, 'nats'), ...measure('20,000-line TypeScript', ts, 'source')];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
