// The error a promise rejects with; fails the test when it resolves.
import assert from 'node:assert/strict';

export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected a failure');
}
