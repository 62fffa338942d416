// The two nats-servers every NATS stage runs on: bookworm's 2.9.10 and Debian sid's (scripts/nats/fetch-debian-nats.sh),
// each with its version read from `--version` (undefined when the binary is missing or does not run).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const natsServers = [
  { bin: '/usr/sbin/nats-server', from: 'Debian bookworm', fix: 'install it with `apt-get install -y nats-server` (scripts/harness/setup.sh, npm test\'s pretest, does)' },
  { bin: path.join(repo, '.cache/nats-servers/sid/nats-server'), from: 'Debian sid', fix: 'fetch it with `bash scripts/nats/fetch-debian-nats.sh sid` (scripts/harness/setup.sh, npm test\'s pretest, does)' },
].map(s => ({ ...s, version: serverVersion(s.bin) }));

function serverVersion(bin) {
  if (!fs.existsSync(bin)) return undefined;
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return /v?(\d+\.\d+\.\d+\S*)/.exec(`${r.stdout}${r.stderr}`)?.[1];
}
