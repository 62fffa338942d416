// `cim-nats init-streams` run as a process against a nats-server of its own with CIM-Start's accounts and JetStream
// domain: the plan printed, applied, checked; exit 0 / 1 / 2; the NATS_* defaults; a password never on screen.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConnectionFlags } from '../../../src/cli/connectionFlags';
import { UsageError } from '../../../src/cli/usage';
import { CIM_DEV_USERS, cimDevServerConfig } from '../../../dev/devServerConfig';
import { useNatsServer } from '../../support/natsFixture';
import { runCli, type CliRun } from '../../support/cli';

const { user, pass } = CIM_DEV_USERS.domain;

/** The test's own environment without any NATS_* or CIM_* variable, so that only what a test passes counts. */


/** A folder without .cim/algebra.json, so that the built-in algebra applies; removed when the process exits. */
const cwd = mkdtempSync(join(tmpdir(), 'cim-nats-init-'));
process.once('exit', () => rmSync(cwd, { recursive: true, force: true }));

const cli = (args: string[], env: Record<string, string> = {}): Promise<CliRun> => runCli(['init-streams', ...args], { cwd, env });

describe('cim-nats init-streams', () => {
  const nats = useNatsServer({ perTest: true, config: cimDevServerConfig(), domain: 'cim', session: { user, pass, jetStreamDomain: 'cim' } });

  /** The flags of a user of npm start's server: every login, with the password taken from a variable. */
  const login = () => ['--server', nats.url, '--user', user, '--password-env', 'CIM_TEST_SECRET', '--js-domain', 'cim'];
  const secret = { CIM_TEST_SECRET: pass };
  const streamNames = async () => {
    const names: string[] = [];
    for await (const n of (await nats.jsm()).streams.names()) names.push(n);
    return names.sort();
  };

  it('prints the plan and changes nothing with --dry-run (exit 0)', async () => {
    const r = await cli([...login(), '--env', 'dev', '--dry-run', 'sales'], secret);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^# Initialize the CIM streams\n/);
    assert.ok(r.out.includes('| DOMAIN_SALES_EVENTS | `dev.domain.sales.>` | create | file, limits, max age 1d,'), r.out);
    assert.ok(r.out.includes('**Totals:** 5 streams: 5 to create.'));
    assert.ok(r.out.trimEnd().endsWith('Dry run: nothing was changed.'));
    assert.deepEqual(await streamNames(), []);
  });

  it('creates the streams, says the server holds them, and finds them unchanged the second time (exit 0)', async () => {
    const r = await cli([...login(), '--env', 'dev', 'sales', 'inventory'], secret);
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.includes('- DOMAIN_SALES_EVENTS: created\n'), r.out);
    assert.ok(r.out.trimEnd().endsWith('The server holds every stream of the plan (8 created, 0 updated, 0 unchanged).'), r.out);
    assert.deepEqual(await streamNames(), [
      'DOMAIN_INVENTORY_COMMANDS', 'DOMAIN_INVENTORY_EVENTS', 'DOMAIN_INVENTORY_SNAPSHOTS',
      'DOMAIN_SALES_COMMANDS', 'DOMAIN_SALES_EVENTS', 'DOMAIN_SALES_SNAPSHOTS', 'PROJECTIONS', 'SAGAS',
    ]);
    const again = await cli([...login(), '--env', 'dev', 'sales', 'inventory'], secret);
    assert.equal(again.code, 0, again.err);
    assert.ok(again.out.includes('**Totals:** 8 streams: 8 unchanged.'));
    assert.ok(again.out.trimEnd().endsWith('(0 created, 0 updated, 8 unchanged).'));
  });

  it('exits 1 when something could not be done, naming the stream in the way, and creates the rest', async () => {
    await (await nats.jsm()).streams.add({ name: 'LEGACY_EVENTS', subjects: ['dev.domain.*.>'] });
    const dry = await cli([...login(), '--env', 'dev', '--dry-run', 'sales'], secret);
    assert.equal(dry.code, 1);
    assert.ok(dry.out.includes('Dry run: nothing was changed. 1 of 5 streams cannot be initialized as planned: DOMAIN_SALES_EVENTS (conflict).'), dry.out);

    const r = await cli([...login(), '--env', 'dev', 'sales'], secret);
    assert.equal(r.code, 1);
    assert.ok(r.out.includes('| DOMAIN_SALES_EVENTS | `dev.domain.sales.>` | conflict | Stream DOMAIN_SALES_EVENTS\'s subjects (dev.domain.sales.>) overlap those of LEGACY_EVENTS (dev.domain.\\*.>)'), r.out);
    assert.ok(r.out.includes('- DOMAIN_SALES_EVENTS: skipped — '));
    assert.ok(r.out.trimEnd().endsWith('1 of 5 streams are not as planned: DOMAIN_SALES_EVENTS (conflict).'), r.out);
    assert.equal((await streamNames()).length, 5);
  });

  it('exits 1 with one sentence when the server refuses the login, and never prints the password', async () => {
    const r = await cli([...login(), '--env', 'dev', 'sales'], { CIM_TEST_SECRET: 'not-the-password' });
    assert.equal(r.code, 1);
    assert.equal(r.err, `cim-nats: Wrong user or password for ${nats.url} (user ${user}): check the credentials.\n`);
    assert.equal(r.out, '');
    assert.ok(!`${r.out}${r.err}`.includes('not-the-password'));
  });

  it('takes the server, login, JetStream domain and environment from NATS_URL, NATS_USER, NATS_PASS, NATS_JS_DOMAIN and CIM_ENVIRONMENT', async () => {
    const env = { NATS_URL: nats.url, NATS_USER: user, NATS_PASS: pass, NATS_JS_DOMAIN: 'cim', CIM_ENVIRONMENT: 'staging' };
    const r = await cli(['--json', 'sales'], env);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as { server: string; environment: string; ok: boolean; plan: { name: string; subjects: string[]; action: string; config: { storage: string } }[]; results: { action: string }[] };
    assert.equal(report.server, nats.url);
    assert.equal(report.environment, 'staging');
    assert.equal(report.ok, true);
    assert.deepEqual(report.plan[0]!.subjects, ['staging.domain.sales.>']);
    // staging's profile: every stream on file, commands included
    assert.equal(report.plan.find(p => p.name === 'DOMAIN_SALES_COMMANDS')!.config.storage, 'file');
    assert.deepEqual(report.results.map(x => x.action), ['created', 'created', 'created', 'created', 'created']);
    assert.ok(!r.out.includes(pass) && !r.err.includes(pass));

    // flags win over the environment
    const dev = await cli(['--env', 'dev', '--dry-run', '--json', 'inventory'], env);
    assert.equal(dev.code, 1, 'PROJECTIONS and SAGAS hold staging subjects: a dev plan may not narrow them');
    assert.deepEqual((JSON.parse(dev.out) as typeof report).plan.map(p => p.subjects[0]), ['dev.domain.inventory.>', 'dev.command.inventory.>', 'dev.projection.>', 'dev.saga.>', 'dev.snapshot.inventory.>']);
  });

  it('never prints the password it reads with --password-env, in text or JSON', async () => {
    for (const args of [['--env', 'dev', 'sales'], ['--env', 'dev', '--json', 'sales'], ['--env', 'dev', '--dry-run', '--json', 'sales']]) {
      const r = await cli([...login(), ...args], secret);
      assert.equal(r.code, 0, r.err);
      assert.ok(!r.out.includes(pass) && !r.err.includes(pass), `password printed by ${args.join(' ')}`);
    }
  });

  it('exits 2 without a server, and refuses a password in the server address without repeating it', async () => {
    const none = await cli(['--env', 'dev', 'sales']);
    assert.equal(none.code, 2);
    assert.match(none.err, /no NATS server: pass --server URL or set NATS_URL/);
    const inUrl = await cli(['--server', `nats://${user}:${pass}@127.0.0.1:${nats.server.port}`, '--env', 'dev', 'sales']);
    assert.equal(inUrl.code, 2);
    assert.match(inUrl.err, /holds credentials before "@"/);
    assert.ok(!inUrl.err.includes(pass));
  });
});

// Usage errors are found before connecting: no server needed.
describe('cim-nats init-streams usage errors', () => {
  const NO_SERVER = 'nats://127.0.0.1:1';
  for (const [args, env, reason] of [
    [['--env', 'dev'], {}, /init-streams needs at least one DOMAIN/],
    [['--env', 'dev', 'Sales'], {}, /"Sales" is not a valid domain name for CIM-Start \(kebab case, e\.g\. order-history\)/],
    [['sales'], {}, /init-streams needs --env ENV \(or CIM_ENVIRONMENT\): one of dev, staging, prod/],
    [['--env', 'qa', 'sales'], {}, /"qa" is not an environment of CIM-Start/],
    [['--env', 'dev', '--replicas', '9', 'sales'], {}, /--replicas 9: JetStream keeps 1 to 5 replicas/],
    [['--env', 'dev', '--scope', 'everywhere', 'sales'], {}, /--scope everywhere: use environment or all/],
    [['--env', 'dev', '--password', 'hunter2', 'sales'], {}, /--password: cim-nats takes no secret on the command line/],
    [['--env', 'dev', '--password=hunter2', 'sales'], {}, /--password: cim-nats takes no secret on the command line/],
    [['--env', 'dev', '--password-env', 'NO_SUCH_VARIABLE', 'sales'], {}, /--password-env NO_SUCH_VARIABLE: that environment variable is not set/],
    [['--env', 'dev', '--user', 'u', '--creds', 'x.creds', 'sales'], {}, /--user and --creds are two ways of logging in: choose one/],
    [['--env', 'dev', '--bogus', 'sales'], {}, /unknown option --bogus/],
    [['--env', 'dev', '--server'], {}, /--server needs a value/],
  ] as const) {
    it(`exits 2 with one line for ${args.join(' ')}`, async () => {
      const r = await cli([...((args as readonly string[]).includes('--server') ? [] : ['--server', NO_SERVER]), ...args], env);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, reason);
      assert.equal(r.err.trim().split('\n').length, 1);
      assert.ok(!r.err.includes('hunter2'));
    });
  }
});

// The mapping every NATS command shares: flags over NATS_* variables, through connectionFromEnvironment and connectOptionsFor.
describe('parseConnectionFlags', () => {
  const env = { NATS_URL: 'nats://a:4222', NATS_USER: 'env_user', NATS_PASS: 'env-secret', NATS_JS_DOMAIN: 'cim', CIM_ENVIRONMENT: 'staging', MY_TOKEN: 't0ken' };

  it('takes the environment as it is, and leaves the other arguments in their order', () => {
    const r = parseConnectionFlags(['--dry-run', 'sales', '--', '--server'], env);
    assert.deepEqual(r.options, { servers: ['nats://a:4222'], jetStreamDomain: 'cim', user: 'env_user', pass: 'env-secret' });
    assert.deepEqual(r.rest, ['--dry-run', 'sales', '--', '--server']);
    assert.equal(r.environment, 'staging');
    assert.equal(r.server, 'nats://a:4222');
  });
  it('lets flags win, and a login flag replace the environment\'s login', () => {
    const token = parseConnectionFlags(['--server=nats://b:1,nats://c:2', '--token-env', 'MY_TOKEN', '--env', 'prod', '--js-domain', 'hub'], env);
    assert.deepEqual(token.options, { servers: ['nats://b:1', 'nats://c:2'], jetStreamDomain: 'hub', token: 't0ken' });
    assert.equal(token.environment, 'prod');
    assert.deepEqual(parseConnectionFlags(['--creds', '/k/u.creds'], env).options, { servers: ['nats://a:4222'], jetStreamDomain: 'cim', credsFile: '/k/u.creds' });
    assert.deepEqual(parseConnectionFlags(['--nkey', '/k/u.nk'], env).options, { servers: ['nats://a:4222'], jetStreamDomain: 'cim', nkeySeedFile: '/k/u.nk' });
    assert.deepEqual(parseConnectionFlags(['--user', 'other'], env).options.pass, 'env-secret');
    assert.deepEqual(parseConnectionFlags(['--password-env', 'MY_TOKEN'], env).options, { servers: ['nats://a:4222'], jetStreamDomain: 'cim', user: 'env_user', pass: 't0ken' });
    assert.deepEqual(parseConnectionFlags(['--server', 'tls://n1:4443', '--tls-ca', 'ca.pem', '--tls-cert', 'c.pem', '--tls-key', 'k.pem'], {}).options,
      { servers: ['tls://n1:4443'], tls: { caFile: 'ca.pem', certFile: 'c.pem', keyFile: 'k.pem' } });
  });
  it('throws a usage error that never holds the secret', () => {
    assert.throws(() => parseConnectionFlags(['--token', 's3cret'], env), (e: Error) => e instanceof UsageError && !e.message.includes('s3cret') && /--token-env VAR/.test(e.message));
    assert.throws(() => parseConnectionFlags(['--password-env', 's3cret value'], env), { message: '--password-env takes the name of an environment variable, such as NATS_PASS, not the secret itself' });
    assert.throws(() => parseConnectionFlags(['--password-env', 'MY_TOKEN'], {}), { message: '--password-env MY_TOKEN: that environment variable is not set' });
    assert.throws(() => parseConnectionFlags([], {}), { message: 'no NATS server: pass --server URL or set NATS_URL' });
    assert.throws(() => parseConnectionFlags(['--server', 'nats://a:1', '--password-env', 'MY_TOKEN'], { MY_TOKEN: 'x' }), { message: '--password-env needs a user: add --user U (or set NATS_USER)' });
    assert.throws(() => parseConnectionFlags(['--env', 'dev', '--env', 'prod'], env), { message: '--env is given 2 times: give it once' });
  });
});
