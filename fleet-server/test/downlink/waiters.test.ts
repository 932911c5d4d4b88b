import { describe, expect, it } from 'vitest';
import { Waiters } from '../../src/downlink/waiters.js';

describe('Waiters', () => {
  it('resolves every waiter of a key with the settled value, and only that key', async () => {
    const w = new Waiters<string, number>();
    const a1 = w.wait('a', 5_000);
    const a2 = w.wait('a', 5_000);
    const b = w.wait('b', 50);
    w.settle('a', 7);
    await expect(Promise.all([a1, a2])).resolves.toEqual([7, 7]);
    await expect(b).resolves.toBeUndefined();
  });

  it('skips values the waiter does not accept, and ends at its timeout with undefined', async () => {
    const w = new Waiters<string, number>();
    const even = w.wait('k', 5_000, (v) => v % 2 === 0);
    w.settle('k', 3);
    w.settle('k', 4);
    await expect(even).resolves.toBe(4);
    const never = w.wait('k', 30, (v) => v > 100);
    w.settle('k', 5);
    await expect(never).resolves.toBeUndefined();
  });

  it('cancelAll ends open waits with undefined', async () => {
    const w = new Waiters<string, number>();
    const open = w.wait('x', 60_000);
    w.cancelAll();
    await expect(open).resolves.toBeUndefined();
  });

  it('after cancelAll (shutdown), a new wait ends at once instead of holding its request', async () => {
    const w = new Waiters<string, number>();
    w.cancelAll();
    await expect(w.wait('x', 60_000)).resolves.toBeUndefined();
  });

  it('ends a wait with undefined when its signal aborts (the client went away), leaving the others', async () => {
    const w = new Waiters<string, number>();
    const gone = new AbortController();
    const left = w.wait('x', 60_000, undefined, gone.signal);
    const stays = w.wait('x', 60_000);
    gone.abort();
    await expect(left).resolves.toBeUndefined();
    w.settle('x', 9);
    await expect(stays).resolves.toBe(9);
    await expect(w.wait('x', 60_000, undefined, gone.signal), 'already aborted').resolves.toBeUndefined();
  });
});
