// Domain definition fixtures live in test/fixtures (not compiled), read from the compiled test's place in out/.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDomainDefinition, type DomainDefinition } from '../../../src/core/domain';

const ROOT = resolve(__dirname, '../../../../test/fixtures/domains');

export function readDomainFixture(name: string): string {
  return readFileSync(resolve(ROOT, name, 'domain-definition.yaml'), 'utf8');
}

/** The example-business definition, which parses without problems. */
export function exampleBusiness(): DomainDefinition {
  const { definition } = parseDomainDefinition(readDomainFixture('example-business'));
  if (!definition) throw new Error('the example-business fixture no longer parses');
  return definition;
}
