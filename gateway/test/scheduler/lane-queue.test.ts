import { describe, expect, it } from 'vitest';
import { LaneQueue } from '../../src/scheduler/lane-queue.js';

describe('LaneQueue', () => {
  it('skips items that are not ready without losing their place', () => {
    const q = new LaneQueue<string>();
    q.push('fast', 'a1');
    q.push('fast', 'b1');
    q.push('fast', 'a2');
    expect(q.take((x) => x.startsWith('b'))?.item).toBe('b1');
    expect(q.take(() => true)?.item).toBe('a1');
    expect(q.take(() => true)?.item).toBe('a2');
    expect(q.take(() => true)).toBeUndefined();
  });

  it('a waiting command never counts as starved and always goes first', () => {
    const q = new LaneQueue<string>(1);
    q.push('slow', 's');
    q.push('fast', 'f');
    expect(q.take(() => true)?.item).toBe('f'); // slow passed over once: now starved
    q.push('command', 'c');
    expect(q.take(() => true)?.item).toBe('c');
    expect(q.take(() => true)?.item).toBe('s');
  });

  it('refuses a starvation limit below 1', () => {
    expect(() => new LaneQueue(0)).toThrow(/starvationLimit/);
  });
});
