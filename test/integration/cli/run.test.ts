// `cim-nats run` and `cim-nats smoke` run as processes against a nats-server of their own with the seed's accounts and
// JetStream domain: what they print, and exit 0 / 1 / 2.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AckPolicy } from '@nats-io/jetstream';
import { preset } from '../../../src/core/algebra/compiled';
import { CIM_DEV_USERS, cimDevServerConfig } from '../../../dev/devServerConfig';
import { cimStreamConfigs, ensureStreams } from '../../../src/nats/streams/cimStreams';
import { useNatsServer } from '../../support/natsFixture';
import { runCli, type CliRun } from '../../support/cli';

const { user, pass } = CIM_DEV_USERS.domain;

const cwd = mkdtempSync(join(tmpdir(), 'cim-nats-run-'));
process.once('exit', () => rmSync(cwd, { recursive: true, force: true }));


const cli = (args: string[], env: Record<string, string> = {}): Promise<CliRun> => runCli(args, { cwd, env });

let files = 0;
/** A playbook in the test's folder; its name is returned. */
function playbook(text: string): string {
  const name = `p${++files}.nats`;
  writeFileSync(join(cwd, name), text);
  return name;
}

describe('cim-nats run and smoke', () => {
  const nats = useNatsServer({ config: cimDevServerConfig(), domain: 'cim', session: { user, pass, jetStreamDomain: 'cim' } });
  const env = () => ({ NATS_URL: nats.url, NATS_USER: user, NATS_PASS: pass, NATS_JS_DOMAIN: 'cim', CIM_ENVIRONMENT: 'dev' });

  describe('with the CIM streams of sales', () => {
    before(async () => {
      const jsm = await nats.jsm();
      await ensureStreams(jsm, cimStreamConfigs(preset('cim-start'), { domains: ['sales'], environment: 'dev', scope: 'environment' }));
    });

    it('prints the stream and sequence of each PUB, a duplicate the second time, and exits 0', async () => {
      const id = '11111111-1111-4111-8111-111111111111';
      const file = playbook(`@event_id = ${id}\n### Order created\nPUB {{env}}.domain.sales.order.created.{{event_id}}\n\n{"event_id": "{{event_id}}"}\n`);
      const first = await cli(['run', file], env());
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, new RegExp(`^${file}:3 Order created: stored in DOMAIN_SALES_EVENTS, seq (\\d+) \\(Nats-Msg-Id ${id}\\)\\n$`));
      const seq = /seq (\d+)/.exec(first.out)![1];
      const again = await cli(['run', file], env());
      assert.equal(again.code, 0);
      assert.match(again.out, new RegExp(`Order created: duplicate in DOMAIN_SALES_EVENTS, seq ${seq}: the stream already held Nats-Msg-Id ${id}`));
    });

    it('runs one block by --block or --line, and prints JSON with --json', async () => {
      const file = playbook('### One\nPUB dev.domain.sales.order.created.{{uuid}}\n\n{}\n\n### Two\nPUB dev.domain.sales.order.shipped.{{uuid}}\n\n{}\n');
      const byTitle = await cli(['run', '--block', 'Two', '--json', file], env());
      assert.equal(byTitle.code, 0, byTitle.err);
      const json = JSON.parse(byTitle.out) as { results: { title: string; line: number; result: { kind: string; stream: string; subject: string } }[]; ok: boolean };
      assert.equal(json.ok, true);
      assert.deepEqual(json.results.map(r => [r.title, r.line, r.result.kind, r.result.stream]), [['Two', 7, 'stored', 'DOMAIN_SALES_EVENTS']]);
      assert.match(json.results[0]!.result.subject, /^dev\.domain\.sales\.order\.shipped\./);
      const byLine = await cli(['run', '--line', '3', file], env());
      assert.equal(byLine.code, 0);
      assert.match(byLine.out, /^p\d+\.nats:2 One: stored in DOMAIN_SALES_EVENTS/);
      assert.equal(byLine.out.trim().split('\n').length, 1);
    });

    it('collects a SUB for --for while the PUB below it runs', async () => {
      const file = playbook('### Tail\nSUB dev.domain.sales.>\n\n### Send\nPUB dev.domain.sales.order.created.{{uuid}}\n\n{"n": 7}\n');
      const r = await cli(['run', '--for', '400ms', file], env());
      assert.equal(r.code, 0, r.err);
      const lines = r.out.trim().split('\n');
      assert.match(lines[0]!, /Send: stored in DOMAIN_SALES_EVENTS/);
      assert.match(lines[1]!, /Tail: 1 message on dev\.domain\.sales\.>/);
      assert.match(lines[2]!, /^ {2}dev\.domain\.sales\.order\.created\./);
      assert.equal(lines[3], '    {"n": 7}');
    });

    it('exits 1 when a send fails or a block is refused, and sends the other blocks', async () => {
      const file = playbook([
        '### Broken', 'PUB dev.domain.sales.order.created.{{nope}}', '', '{}', '',
        '### Nobody', 'REQ dev.command.sales.order.ship timeout=500ms', '',
        '### Fine', 'PUB dev.domain.sales.order.created.{{uuid}}', '', '{}', '',
        '### Production', 'PUB prod.domain.sales.order.created.{{uuid}}', '', '{}', '',
      ].join('\n'));
      const r = await cli(['run', file], env());
      assert.equal(r.code, 1);
      const lines = r.out.trim().split('\n');
      assert.match(lines[0]!, /Broken: not sent: \{\{nope\}\} is not defined/);
      // The commands stream captures the subject, so the stream answers the request with its acknowledgement.
      assert.match(lines[1]!, /Nobody: reply in \d+ ms/);
      assert.match(lines[3]!, /Fine: stored in DOMAIN_SALES_EVENTS/);
      assert.match(lines[4]!, /Production: Not sent: "prod\.domain\.sales\.order\.created\.[^"]+" is a production subject \(prod\) on nats:\/\/127\.0\.0\.1:\d+, and publishing was declined\. Pass --yes/);
    });

    it('says a subject no stream captures was sent on core NATS, and exits 0', async () => {
      const file = playbook('PUB dev.domain.inventory.product.stock-reserved.{{uuid}}\n\n{}\n');
      const r = await cli(['run', file], env());
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /: sent\. Nothing stores it: no stream captures "dev\.domain\.inventory\.product\.stock-reserved\.[0-9a-f-]{36}"/);
    });

    it('smoke exits 0 when every sample landed where the algebra says', async () => {
      await (await nats.jsm()).consumers.add('DOMAIN_SALES_COMMANDS', { durable_name: 'sales-handler', ack_policy: AckPolicy.Explicit });
      const r = await cli(['smoke', 'sales'], env());
      assert.equal(r.code, 0, r.out + r.err);
      const lines = r.out.trim().split('\n');
      assert.match(lines[0]!, /^ok {3}domain dev\.domain\.sales\.order\.created\.[0-9a-f-]{36} → DOMAIN_SALES_EVENTS seq \d+$/);
      assert.match(lines.find(l => l.includes('dedupe'))!, /^ok {3}dedupe domain /);
      assert.match(r.out, /Every sample landed in the stream CIM-Start names, and the re-publish was a duplicate \(7 checks\)\.\n$/);
      const json = JSON.parse((await cli(['smoke', '--json', 'sales'], env())).out) as { ok: boolean; rows: { verdict: string }[] };
      assert.equal(json.ok, true);
      assert.equal(json.rows.length, 7);
    });
  });

  it('smoke exits 1 naming each missing stream', async () => {
    const r = await cli(['smoke', '--env', 'dev', 'billing'], env());
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`^FAIL domain dev\\.domain\\.billing\\.record\\.created\\.[0-9a-f-]{36} → DOMAIN_BILLING_EVENTS: No stream DOMAIN_BILLING_EVENTS on ${nats.url.replace(/\./g, '\\.')}: create it with cim-nats init-streams --env dev billing\\.$`, 'm'));
    assert.match(r.out, /checks failed\.\n$/);
  });

  it('exits 1 with one sentence when the server is not there', async () => {
    const file = playbook('PUB dev.saga.x.started\n\n{}\n');
    const r = await cli(['run', '--server', 'nats://127.0.0.1:1', file], env());
    assert.equal(r.code, 1);
    assert.match(r.err, /^cim-nats: No NATS server answered at nats:\/\/127\.0\.0\.1:1: is it running\?\n$/);
  });

  describe('usage errors', () => {
    const file = () => playbook('### One\nPUB dev.saga.x.started\n\n{}\n');
    for (const [name, args, reason] of [
      ['no file', () => ['run'], /run needs a FILE\.nats/],
      ['an unknown block', () => ['run', '--block', 'Nope', file()], /has no block titled "Nope"/],
      ['a bad --for', () => ['run', '--for', '5 seconds', file()], /--for 5 seconds: give a duration/],
      ['--block with --line', () => ['run', '--block', 'One', '--line', '2', file()], /give one/],
      ['a line in no block', () => ['run', '--line', '99', file()], /line 99 of p\d+\.nats is in no block/],
      ['smoke without a domain', () => ['smoke'], /smoke needs at least one DOMAIN/],
      ['smoke without an environment', () => ['smoke', 'sales'], /smoke needs --env ENV/],
    ] as const) {
      it(`exits 2 with one line for ${name}`, async () => {
        const noEnv = name === 'smoke without an environment';
        const e = env();
        const r = await cli([...args()], noEnv ? { NATS_URL: e.NATS_URL } : e);
        assert.equal(r.code, 2, r.err);
        assert.match(r.err, reason);
        assert.equal(r.err.trim().split('\n').length, 1);
      });
    }
  });
});
