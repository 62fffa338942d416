// The suite for a workspace that does not activate the extension at start-up (see activation.test.ts beside it).
import { runSuite } from '../vscode/index';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
