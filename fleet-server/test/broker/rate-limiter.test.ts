import { describe, it, expect } from 'vitest';
import { RateLimiter } from '../../src/broker/rate-limiter.js';

function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RateLimiter (token bucket)', () => {
  it('lets `attempts` through, then refuses within the window', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ attempts: 3, windowMs: 60_000 }, clock.now);
    const results = Array.from({ length: 5 }, () => limiter.tryTake('gw-1'));
    expect(results).toEqual([true, true, true, false, false]);
  });

  it('keys are independent', () => {
    const limiter = new RateLimiter({ attempts: 1, windowMs: 1000 }, fakeClock().now);
    expect(limiter.tryTake('a')).toBe(true);
    expect(limiter.tryTake('a')).toBe(false);
    expect(limiter.tryTake('b')).toBe(true);
  });

  it.each([
    // [elapsed ms after exhausting 4 attempts per 60 s, tokens available]
    [0, 0],
    [14_999, 0],
    [15_000, 1],
    [30_000, 2],
    [60_000, 4],
    [600_000, 4], // never more than the capacity
  ])('after %i ms an exhausted bucket holds %i tokens', (elapsed, tokens) => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ attempts: 4, windowMs: 60_000 }, clock.now);
    for (let i = 0; i < 4; i++) limiter.tryTake('k');
    clock.advance(elapsed);
    expect(limiter.remaining('k')).toBe(tokens);
  });

  it('a clock stepping backwards does not drain or refill', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ attempts: 2, windowMs: 1000 }, clock.now);
    limiter.tryTake('k');
    clock.advance(-5000);
    expect(limiter.remaining('k')).toBe(1);
  });

  it('forgets full buckets first, then the oldest, to stay within maxKeys', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ attempts: 2, windowMs: 1000, maxKeys: 3 }, clock.now);
    limiter.tryTake('a');
    limiter.tryTake('a');
    limiter.tryTake('b');
    limiter.tryTake('c');
    limiter.tryTake('d');
    expect(limiter.size).toBe(3);
    expect(limiter.remaining('b')).toBe(1); // kept, still spent
    // 'a' was the oldest and nothing was full: forgetting it resets it, the accepted cost of the bound.
    expect(limiter.remaining('a')).toBe(2);
  });

  it('rejects nonsense limits', () => {
    expect(() => new RateLimiter({ attempts: 0, windowMs: 1000 })).toThrow(/attempts/);
    expect(() => new RateLimiter({ attempts: 1, windowMs: 0 })).toThrow(/windowMs/);
  });
});
