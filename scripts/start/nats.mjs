// The NATS side of `npm start`: nats-server from Debian, started with CIM-Start's accounts, streams and sample events.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { run } from './processes.mjs';
import { step } from './log.mjs';

/** Bundles the project's NATS code (src/nats, the test helper's server launcher, the algebra) for plain Node. */
export async function loadProjectCode(root, outDir) {
  const esbuild = await import('esbuild');
  const outfile = join(outDir, 'project.cjs');
  await esbuild.build({
    stdin: {
      contents: [
        "export * from './src/nats/index';",
        "export { planCimStreams, applyCimStreamPlan } from './src/nats/streams/initStreams';",
        "export { smokeTest } from './src/nats/smoke/smokeTest';",
        "export { startNatsServer, findNatsServer } from './dev/localServer';",
        "export { startNatsCluster } from './dev/localCluster';",
        "export * from './dev/devServerConfig';",
        "export { preset } from './src/core/algebra/compiled';",
        "export { parseDomainDefinition } from './src/core/domain/parseDefinition';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile);
}

/** Installs Debian's nats-server when missing and allowed to; otherwise says exactly how to get it. */
export async function ensureNatsServer(project, logDir) {
  if (project.findNatsServer()) return;
  const debian = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
  if (!debian || process.getuid?.() !== 0) {
    throw new Error(debian
      ? 'nats-server is not installed: run `sudo apt-get install -y nats-server`, then npm start again.'
      : 'nats-server is not installed: get it from https://github.com/nats-io/nats-server/releases (or your package manager), put it on PATH (or set NATS_SERVER_BIN), then npm start again.');
  }
  step('installing nats-server (apt-get install -y nats-server)');
  const logFile = join(logDir, 'apt-nats-server.log');
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-q'], { env, logFile });
  await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'nats-server'], { env, logFile });
}

/** The domain definitions of the sample workspace: their events join the published samples. */
function sampleDefinitions(project, workspace) {
  const dir = join(workspace, 'domains');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter(name => existsSync(join(dir, name, 'domain-definition.yaml')))
    .map(name => project.parseDomainDefinition(readFileSync(join(dir, name, 'domain-definition.yaml'), 'utf8'), { fallbackDomain: name }).definition)
    .filter(Boolean);
}

/**
 * Starts nats-server (port 4222 when free) with JetStream domain `cim` and the seed's accounts, initializes the CIM
 * streams for the domains, publishes samples as domain_user and runs the set-up test. Failures of single streams, samples
 * or checks are printed, not fatal.
 */
export async function startDemoNats(project, { workspace, domains, environment, own, pidFile, cluster = false }) {
  const { user, pass } = project.CIM_DEV_USERS.domain;
  let urls;
  if (cluster) {
    // what production looks like: three nodes with routes on loopback, JetStream domain cim, the seed's accounts
    const c = await project.startNatsCluster({ nodes: 3, config: project.cimDevServerConfig(), domain: 'cim', auth: { user, pass } });
    writeFileSync(pidFile, String(c.nodes[0].pid));
    own(() => c.stop().then(() => rmSync(pidFile, { force: true })));
    urls = c.urls;
    step(`nats-server cluster ${c.name}: ${c.nodes.map(n => `${n.name} ${n.url} (pid ${n.pid})`).join(', ')}, JetStream domain "cim"`);
  } else {
    const server = await project.startNatsServer({ config: project.cimDevServerConfig(), domain: 'cim', port: 4222 });
    // The pid file lets the next run name a server this run leaves behind if it is killed with SIGKILL.
    writeFileSync(pidFile, String(server.pid));
    own(() => server.stop().then(() => rmSync(pidFile, { force: true })));
    urls = [server.url];
    step(`nats-server ${server.url} (pid ${server.pid}), JetStream domain "cim"`);
  }
  const server = { url: urls.join(',') };
  const session = await project.connectNats({ servers: urls, user, pass, jetStreamDomain: 'cim', name: 'cim-nats npm start' });
  own(() => session.close());
  const algebra = project.preset('cim-start');
  // The same plan and apply as `cim-nats init-streams` and the editor's Initialize: the environment's profile included.
  const plan = await project.planCimStreams(session, algebra, { domains, environment, scope: 'environment' });
  const streams = await project.applyCimStreamPlan(session, plan);
  for (const r of streams.filter(s => s.action === 'failed' || s.action === 'skipped')) step(`stream ${r.name} ${r.action}: ${r.reason}`);
  const messages = project.cimSampleMessages(algebra, { environment, domains, definitions: sampleDefinitions(project, workspace) });
  const published = await project.publishSamples(session.jetstream(), messages, { describe: session.describe });
  for (const r of published.filter(p => p.reason)) step(`sample ${r.subject} failed: ${r.reason}`);
  // What Test the CIM Setup… does in the editor: after the product's own Initialize it must pass here too.
  const smoke = await project.smokeTest(session, { algebra, environment, domains });
  for (const r of smoke.rows.filter(row => row.status !== 'ok')) step(`set-up test ${r.status === 'warning' ? 'could not check' : 'failed for'} ${r.subject}: ${r.verdict}`);
  step(`set-up test: ${smoke.rows.filter(r => r.status === 'ok').length} of ${smoke.rows.length} checks passed${smoke.ok ? '' : ' (see above)'}`);
  const count = action => streams.filter(s => s.action === action).length;
  step(`streams: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged, ${count('skipped') + count('failed')} not done; ` +
    `${published.filter(p => !p.reason).length} of ${messages.length} sample messages published as ${user}`);
  return { server, user, pass };
}
