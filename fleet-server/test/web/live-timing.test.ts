import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffMs, MAX_BACKOFF_MS } from '../../web/src/lib/backoff.js';
import { coalesce } from '../../web/src/lib/coalesce.js';
import { parseRoute } from '../../web/src/lib/router.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('live stream reconnect delays', () => {
  it('doubles from 1 s and stays at 15 s', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 15000, 15000, 15000]);
    expect(MAX_BACKOFF_MS).toBe(15000);
  });
});

describe('coalesced refresh', () => {
  it('runs at once, then at most once per interval however many requests arrive', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const c = coalesce(fn, 1000);
    c.request();
    expect(fn).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 20; i++) c.request();
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(999);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(5000);
    expect(fn).toHaveBeenCalledTimes(2);
    c.request();
    expect(fn).toHaveBeenCalledTimes(3);
    c.request();
    c.cancel();
    vi.advanceTimersByTime(5000);
    expect(fn).toHaveBeenCalledTimes(3);
  });
});

describe('hash routes', () => {
  it('parses the views of docs/dashboard.md', () => {
    expect(parseRoute('')).toEqual({ view: 'overview' });
    expect(parseRoute('#/overview')).toEqual({ view: 'overview' });
    expect(parseRoute('#/alerts')).toEqual({ view: 'alerts' });
    expect(parseRoute('#/sites/north')).toEqual({ view: 'site', site: 'north' });
    expect(parseRoute('#/devices/gw-a/lift-1')).toEqual({ view: 'device', gateway: 'gw-a', device: 'lift-1' });
    expect(parseRoute('#/nope/x')).toEqual({ view: 'not-found', hash: '#/nope/x' });
  });
});
