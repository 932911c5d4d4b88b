import { describe, expect, it } from 'vitest';
import { CallLimiter } from '../../src/modbus/call-limiter.js';

/** A task that finishes when the test says so, recording when it started. */
function gate(log: string[], name: string): { task: () => Promise<string>; open: () => void } {
  let open = (): void => undefined;
  const released = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    task: async () => {
      log.push(`start ${name}`);
      await released;
      log.push(`end ${name}`);
      return name;
    },
    open: () => open(),
  };
}

describe('CallLimiter', () => {
  it('with limit 1 runs tasks one after the other, in arrival order', async () => {
    const limiter = new CallLimiter(1);
    const log: string[] = [];
    const gates = ['a', 'b', 'c'].map((name) => gate(log, name));
    const results = gates.map((g) => limiter.run(g.task));
    await Promise.resolve();
    expect(log).toEqual(['start a']);
    expect(limiter.waiting).toBe(2);
    gates[0]!.open();
    gates[1]!.open();
    gates[2]!.open();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('never runs more than its limit, even when a newcomer arrives as a slot frees', async () => {
    const limiter = new CallLimiter(2);
    let running = 0;
    let peak = 0;
    const task = async (): Promise<void> => {
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => setImmediate(resolve));
      running--;
    };
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      jobs.push(limiter.run(task));
      if (i % 7 === 0) await Promise.resolve();
    }
    await Promise.all(jobs);
    expect(peak).toBe(2);
    expect(limiter.running).toBe(0);
  });

  it('frees the slot when a task fails', async () => {
    const limiter = new CallLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(() => Promise.resolve(7))).toBe(7);
  });
});
