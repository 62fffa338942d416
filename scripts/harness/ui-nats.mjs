// For the UI checks: a nats-server with the known CIM streams and events (test/support/natsSeed.ts), kept running
// until SIGTERM. Writes its URL to the file given as the first argument. Needs `npm run compile` (out/).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { startNatsServer } = require(path.join(repo, 'out/dev/localServer.js'));
const { seedServer } = require(path.join(repo, 'out/test/support/natsSeed.js'));
const urlFile = process.argv[2];
const server = await startNatsServer();
await seedServer(server.url);
fs.writeFileSync(urlFile, server.url);
const stop = () => server.stop().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setInterval(() => {}, 1 << 30);
