import type { CancelTimer, Clock } from '../../src/scheduler/clock.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** Lets queued promise callbacks run (setImmediate fires after the microtask queue is empty). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A Clock whose time moves only when a test says so. advance() runs due timers in time order
 * and lets promise chains settle after each, so async code driven by timers runs as it would.
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): CancelTimer {
    const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#nextDue(end);
      if (next === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
      await settle();
    }
    this.#now = end;
    await settle();
  }

  /** Advances in steps until `done()` holds (or `limitMs` of fake time has passed). */
  async advanceUntil(done: () => boolean, limitMs = 60_000, stepMs = 1): Promise<void> {
    const end = this.#now + limitMs;
    while (!done() && this.#now < end) await this.advance(stepMs);
    if (!done()) throw new Error(`FakeClock.advanceUntil: condition still false after ${limitMs} ms of fake time`);
  }

  #nextDue(end: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers) {
      if (t.at <= end && (best === undefined || t.at < best.at || (t.at === best.at && t.seq < best.seq))) best = t;
    }
    return best;
  }
}
