// The JSON schema VS Code validates `.cim/algebra.json` against, generated from the zod schema.
import { z } from 'zod';
import { AlgebraSchema } from './schema';

export function algebraJsonSchema(): object {
  return z.toJSONSchema(AlgebraSchema, { io: 'input', unrepresentable: 'any' });
}
