// In-host suites that touch NATS: run once per nats-server version (NATS_SERVER_BIN), with the runner's server as NATS_URL.
import { runSuite } from '../vscode/index';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
