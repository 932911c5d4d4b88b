// The overview's re-fetch: at most once a second, never overlapping a fetch in flight, and the
// last request never dropped.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { coalesce } from '../../web/src/lib/coalesce.js';
import { FinishedCommands } from '../../web/src/lib/command-result.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A fetch the test finishes by hand. */
function fetches() {
  const pending: (() => void)[] = [];
  const fn = vi.fn(() => new Promise<void>((resolve) => pending.push(resolve)));
  const finish = async (): Promise<void> => {
    pending.shift()?.();
    await vi.advanceTimersByTimeAsync(0);
  };
  return { fn, finish };
}

describe('coalesced re-fetch', () => {
  it('runs once more after the last request, however late in the quiet period it came', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const c = coalesce(fn, 1000);
    c.request();
    vi.advanceTimersByTime(999);
    c.request();
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(2);
    c.request(); // right after that run: one more a second later
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(3);
    vi.advanceTimersByTime(10_000);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('does not start a fetch while one is in flight, and runs one after it for requests made during it', async () => {
    vi.useFakeTimers();
    const { fn, finish } = fetches();
    const c = coalesce(fn, 1000);
    c.request();
    c.request();
    await vi.advanceTimersByTimeAsync(5000); // a slow fetch: the interval passes, still one
    expect(fn).toHaveBeenCalledTimes(1);
    await finish();
    expect(fn).toHaveBeenCalledTimes(2); // the interval has passed: at once
    await finish();
    await vi.advanceTimersByTimeAsync(5000);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('keeps the interval after a fast fetch and a failed one still allows the next', async () => {
    vi.useFakeTimers();
    const fn = vi.fn(() => Promise.reject(new Error('down')));
    const c = coalesce(fn, 1000);
    c.request();
    await vi.advanceTimersByTimeAsync(10);
    c.request();
    await vi.advanceTimersByTimeAsync(989);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('runs nothing after cancel', async () => {
    vi.useFakeTimers();
    const { fn, finish } = fetches();
    const c = coalesce(fn, 1000);
    c.request();
    c.request();
    c.cancel();
    await finish();
    await vi.advanceTimersByTimeAsync(5000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('command results that arrive before the POST answer', () => {
  const cmd = (id: string, state: 'pending' | 'ok' | 'failed', reason?: string) => ({
    id, gateway: 'gw-a', device: 'tsc-1', state, request: { command: 'set-flash' }, result: reason === undefined ? null : { status: state, reason },
  });

  it('turns a waiting outcome into the result seen earlier on the stream, leaves others alone', () => {
    const f = new FinishedCommands(2);
    f.add(cmd('c1', 'ok'));
    f.add(cmd('c2', 'pending'));
    const waiting = { id: 'c1', command: 'set-flash', text: 'set-flash: sent, waiting for the gateway', ok: null };
    expect(f.settle(waiting)).toMatchObject({ id: 'c1', text: 'set-flash: succeeded', ok: true });
    expect(f.settle({ ...waiting, id: 'c2' })).toMatchObject({ ok: null });
    expect(f.settle({ ...waiting, id: null })).toMatchObject({ ok: null });
    f.add(cmd('c3', 'failed', 'timeout'));
    f.add(cmd('c4', 'ok'));
    expect(f.settle(waiting).ok).toBeNull(); // c1 aged out of the two kept
    expect(f.settle({ ...waiting, id: 'c3' }).text).toBe('set-flash: failed: failed (timeout)');
  });

  it("lets the gateway's late result replace the server's 'unanswered', and nothing replace a result", () => {
    const f = new FinishedCommands();
    f.add({ ...cmd('c1', 'ok'), state: 'unanswered', result: null });
    const waiting = { id: 'c1', command: 'set-auto', text: 'set-auto: sent, waiting for the gateway', ok: null };
    const unanswered = f.settle(waiting);
    expect(unanswered).toMatchObject({ ok: false, provisional: true, text: expect.stringContaining('no answer from the gateway') });
    f.add(cmd('c1', 'ok'));
    const late = f.settle(unanswered);
    expect(late).toEqual({ id: 'c1', command: 'set-auto', text: 'set-auto: succeeded', ok: true });
    f.add(cmd('c1', 'failed', 'a duplicate that cannot happen'));
    expect(f.settle(late)).toBe(late);
  });
});
