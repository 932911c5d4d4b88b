import { afterEach, describe, expect, it } from 'vitest';
import type { Uplink, UplinkTimers } from '../../src/uplink/index.js';
import { MemoryOutbox } from './memory-outbox.js';
import { freePort, TestBroker } from './test-broker.js';
import { connected, GATEWAY, makeUplink } from './uplink-helpers.js';

/** Timers the test fires by hand: the reconnect schedule runs on a fake clock. */
class ManualTimers implements UplinkTimers {
  readonly delays: number[] = [];
  private pending: { id: number; callback: () => void }[] = [];
  private nextId = 1;
  private waiter: (() => void) | undefined;

  setTimeout(callback: () => void, ms: number): unknown {
    this.delays.push(ms);
    const id = this.nextId++;
    this.pending.push({ id, callback });
    this.waiter?.();
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((t) => t.id !== handle);
  }

  /** Resolves once a timer is pending (the uplink scheduled its next attempt). */
  scheduled(): Promise<void> {
    if (this.pending.length > 0) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = () => {
      this.waiter = undefined;
      resolve();
    }));
  }

  fire(): void {
    const timer = this.pending.shift();
    if (timer === undefined) throw new Error('no timer pending');
    timer.callback();
  }
}

describe('Uplink reconnect backoff (fake clock, real sockets)', () => {
  let broker: TestBroker | undefined;
  let uplink: Uplink | undefined;
  afterEach(async () => {
    await uplink?.stop();
    await broker?.close();
    uplink = undefined;
    broker = undefined;
  });

  it('retries with growing jittered delays while the broker is down, and starts over only after a stable connection', async () => {
    const port = await freePort();
    const timers = new ManualTimers();
    let clock = 1_700_000_000_000;
    uplink = makeUplink(port, new MemoryOutbox(), { timers, random: () => 0.5, now: () => clock }, {
      backoff: { initialMs: 100, maxMs: 100_000, factor: 2, jitter: 0.5, stableMs: 10_000 },
    });
    uplink.start();
    // Connection refused four times: base 100, 200, 400, 800 ms, each × (1 − 0.5 × 0.5).
    for (let i = 0; i < 4; i++) {
      await timers.scheduled();
      timers.fire();
    }
    await timers.scheduled();
    expect(timers.delays).toEqual([75, 150, 300, 600, 1_200]);
    expect(uplink.isConnected()).toBe(false);

    broker = await TestBroker.start(port);
    const up = connected(uplink);
    timers.fire();
    await up;
    expect(uplink.stats()).toMatchObject({ connects: 1, reconnects: 5 });

    // Dropped after 5 s (< stableMs): a flapping link keeps climbing.
    clock += 5_000;
    broker.dropClient(GATEWAY);
    await timers.scheduled();
    expect(timers.delays.at(-1)).toBe(2_400);
    const again = connected(uplink);
    timers.fire();
    await again;

    // Dropped after 10 s (= stableMs): the schedule starts over.
    clock += 10_000;
    broker.dropClient(GATEWAY);
    await timers.scheduled();
    expect(timers.delays.at(-1)).toBe(75);
  });

  it('stop() cancels a pending reconnect', async () => {
    const port = await freePort();
    const timers = new ManualTimers();
    uplink = makeUplink(port, new MemoryOutbox(), { timers });
    uplink.start();
    await timers.scheduled();
    await uplink.stop();
    expect(() => timers.fire()).toThrow(/no timer pending/);
  });
});
