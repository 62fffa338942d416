// Negative control: the product's own mocha entry, pointed at a suite that fails on purpose.
import { runSuite } from '../../vscode/index';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
