import { describe, expect, it } from 'vitest';
import { DeadlineScheduler } from '../../src/transport/deadline-scheduler.js';

describe('DeadlineScheduler', () => {
  it('runs jobs in deadline order whatever the order they were scheduled in, never early', async () => {
    const scheduler = new DeadlineScheduler();
    const t0 = performance.now();
    const deadlines = { a: t0 + 2, b: t0 + 5, c: t0 + 8 };
    const ran: Array<{ name: string; at: number }> = [];
    await new Promise<void>((resolve) => {
      scheduler.at(deadlines.c, () => {
        ran.push({ name: 'c', at: performance.now() });
        resolve();
      });
      scheduler.at(deadlines.a, () => ran.push({ name: 'a', at: performance.now() }));
      scheduler.at(deadlines.b, () => ran.push({ name: 'b', at: performance.now() }));
    });
    expect(ran.map((r) => r.name)).toEqual(['a', 'b', 'c']);
    for (const r of ran) expect(r.at).toBeGreaterThanOrEqual(deadlines[r.name as keyof typeof deadlines]);
    expect(scheduler.size).toBe(0);
  });

  it('runs a job whose deadline has passed on the next turn', async () => {
    const scheduler = new DeadlineScheduler();
    await new Promise<void>((resolve) => scheduler.at(performance.now() - 10, resolve));
    expect(scheduler.size).toBe(0);
  });

  it('drops pending jobs on clear()', async () => {
    const scheduler = new DeadlineScheduler();
    let dropped = false;
    scheduler.at(performance.now() + 3, () => {
      dropped = true;
    });
    scheduler.clear();
    expect(scheduler.size).toBe(0);
    await new Promise<void>((resolve) => scheduler.at(performance.now() + 6, resolve));
    expect(dropped).toBe(false);
  });
});
