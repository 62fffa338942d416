// `npm start`: build the extension, run a local CIM-like nats-server with streams and sample events, and open
// the sample workspace in VS Code (code-server in the browser, or desktop `code` with --desktop). Ctrl+C stops all.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { harnessPaths, linkExtension, setupHarness, staleCodeServer, startCodeServer, stopCodeServer } from './start/codeServer.mjs';
import { fail, seconds, step } from './start/log.mjs';
import { ensureNatsServer, loadProjectCode, startDemoNats } from './start/nats.mjs';
import { isAlive, killRunning, livePid, run } from './start/processes.mjs';

const USAGE = `npm start -- [--desktop] [--cluster] [--port N]
  --cluster  run the sandbox as a three-node JetStream cluster on loopback (what production looks like)
  --desktop  open the workspace in desktop VS Code (\`code\` on PATH) instead of code-server
  --port N   the port for code-server (default 8080 when free, otherwise any free port)`;

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const workspace = join(root, 'samples', 'workspace');
const DOMAINS = ['sales', 'inventory', 'customer'];
const ENVIRONMENT = 'dev';
const paths = harnessPaths(root);
const natsPidFile = join(paths.home, 'start', 'nats-server.pid');

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const desktop = args.includes('--desktop');
const cluster = args.includes('--cluster');
const portArg = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : undefined;
if (portArg !== undefined && !(portArg > 0 && portArg < 65536)) {
  fail(`--port needs a port number (1-65535).\n${USAGE}`);
  process.exit(2);
}

// What this run started, stopped in reverse order; something started after Ctrl+C is stopped at once.
const owned = [];
let stopping = false;
function own(cleanup) {
  if (stopping) void cleanup();
  else owned.push(cleanup);
}
async function shutdown(code, why) {
  if (stopping) return;
  stopping = true;
  if (why) step(why);
  killRunning();
  for (const cleanup of owned.reverse()) {
    try {
      await cleanup();
    } catch (e) {
      fail(`while stopping: ${e.message}`);
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(130, 'Ctrl+C: stopping everything npm start started'));
process.on('SIGTERM', () => void shutdown(143, 'SIGTERM: stopping everything npm start started'));

function portIsFree(port) {
  return new Promise(resolve => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

async function main() {
  mkdirSync(paths.logs, { recursive: true });
  if (desktop && !onPath('code')) throw new Error('--desktop needs VS Code\'s `code` command on PATH: install VS Code (or its shell command), or run npm start without --desktop.');
  if (!existsSync(join(root, 'node_modules', 'esbuild'))) {
    step('installing the project\'s dependencies (npm ci)');
    await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, logFile: join(paths.logs, 'npm-ci.log') });
  }
  const staleNats = livePid(natsPidFile, 'cim-nats-');
  if (staleNats) throw new Error(`nats-server from an earlier npm start still runs (pid ${staleNats}): stop it with \`kill ${staleNats}\`, then run npm start again.`);
  const staleCs = desktop ? undefined : staleCodeServer(root);
  if (staleCs) throw new Error(`code-server from an earlier npm start still runs (pid ${staleCs}): stop it with \`bash scripts/harness/stop-code-server.sh ${paths.state}\`, then run npm start again.`);

  step('building the extension (npm run build), the NATS demo code, and the local NATS server');
  const project = await loadProjectCode(root, join(paths.home, 'start'));
  // apt first: the harness's setup also calls apt-get, and two at once would fight over dpkg's lock.
  await ensureNatsServer(project, paths.logs);
  const [, { server, user, pass }] = await Promise.all([
    run('npm', ['run', '-s', 'build'], { cwd: root, logFile: join(paths.logs, 'build.log') }).then(() => step('extension built (dist/extension.js)')),
    startDemoNats(project, { workspace, domains: DOMAINS, environment: ENVIRONMENT, own, pidFile: natsPidFile, cluster }),
    desktop ? undefined : setupHarness(root).then(() => step('code-server is installed')),
  ]);

  // The variables CIM-Start users export: the extension lists this server as a connection with no settings.
  const natsEnv = { NATS_URL: server.url, NATS_USER: user, NATS_PASS: pass, NATS_JS_DOMAIN: 'cim', CIM_ENVIRONMENT: ENVIRONMENT };
  let open;
  if (desktop) {
    spawn('code', ['--new-window', `--extensionDevelopmentPath=${root}`, workspace], { stdio: 'ignore', detached: true, env: { ...process.env, ...natsEnv } }).unref();
    open = `VS Code opens ${workspace} with the extension from this checkout (an Extension Development Host window).`;
  } else {
    const ext = linkExtension(root);
    const port = portArg ?? ((await portIsFree(8080)) ? 8080 : 0);
    // Registered first: a Ctrl+C while it starts still finds its pid file.
    own(() => stopCodeServer(root));
    const cs = await startCodeServer(root, port || '', natsEnv);
    step(`code-server ${cs.url} (pid ${cs.pid}) with ${ext} linked from this checkout`);
    open = `Open:\n  ${cs.url.replace(/\/$/, '')}/?folder=${workspace.split('/').map(encodeURIComponent).join('/')}`;
    // code-server gone means the demo is over: stop the rest instead of leaving nats-server behind.
    const watch = setInterval(() => isAlive(cs.pid) || void shutdown(1, 'code-server exited: stopping the rest'), 2000);
    own(() => clearInterval(watch));
  }
  console.log([
    '',
    `CIM NATS is ready after ${seconds()}s. ${open}`,
    `NATS: ${server.url}, JetStream domain "cim", user ${user} (CIM-Start's development account; see samples/workspace/README.md),`,
    '  listed in the CIM NATS sidebar\'s JetStream view as a connection from NATS_URL: expand it to see the streams.',
    `Logs: ${paths.logs}`,
    `Ctrl+C stops ${desktop ? '' : 'code-server and '}nats-server.`,
    '',
  ].join('\n'));
}

main().catch(e => shutdown(1, `npm start failed: ${e.message}`));
