// The one polling helper: what it returns, how long it tries, and what its failure says.
import assert from 'node:assert/strict';
import { eventually } from '../../support/eventually';

describe('eventually()', () => {
  it('returns the first truthy value, trying again after falsy values and throws', async () => {
    let n = 0;
    const got = await eventually('the third try', () => {
      n++;
      if (n === 1) throw new Error('not yet');
      return n === 3 ? { n } : undefined;
    }, { intervalMs: 1 });
    assert.deepEqual(got, { n: 3 });
  });

  it('waits until a block of assertions passes', async () => {
    let n = 0;
    await eventually('n to reach 2', () => {
      assert.equal(++n, 2);
      return true;
    }, { intervalMs: 1 });
    assert.equal(n, 2);
  });

  it('names what it waited for and the last value when it gives up', async () => {
    let n = 0;
    await assert.rejects(eventually('the count to be 5', () => (n++, [n, 'apples'].length === 5), { timeoutMs: 60, intervalMs: 5 }),
      /^Error: gave up after 60 ms waiting for the count to be 5 \(\d+ tries\); last value: false$/);
  });

  it('names the last error when every try threw', async () => {
    await assert.rejects(eventually('the stream', async () => {
      throw new Error('stream not found');
    }, 50), /^Error: gave up after 50 ms waiting for the stream \(\d+ tries\); last error: stream not found$/);
  });

  it('gives up on a try that never answers, a second after the deadline', async () => {
    const started = Date.now();
    await assert.rejects(eventually('an answer', () => new Promise<boolean>(() => undefined), 100),
      /^Error: gave up after 100 ms waiting for an answer: try 1 never answered; last value: undefined$/);
    assert.ok(Date.now() - started < 5_000);
  });
});
