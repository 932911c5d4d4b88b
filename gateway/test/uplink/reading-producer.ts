import { EventEmitter } from 'node:events';
import type { OutboxApi } from '../../src/outbox/outbox-types.js';
import { alarm, cmdResult, reading } from './uplink-helpers.js';

/**
 * Feeds an outbox like a busy poller: readings at `perSecond` by elapsed time (so timer jitter
 * does not lower the rate), reading i carrying value i, plus an event every `eventEveryMs`
 * (every third one a command result). Emits 'produced' with the running count after each tick.
 */
export class ReadingProducer extends EventEmitter {
  readings = 0;
  events = 0;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private lastEventAt = 0;

  constructor(
    private readonly outbox: OutboxApi,
    private readonly perSecond: number,
    private readonly eventEveryMs: number,
  ) {
    super();
  }

  start(): void {
    this.startedAt = performance.now();
    this.lastEventAt = this.startedAt;
    this.timer = setInterval(() => this.tick(), 5);
  }

  stop(): { readings: number; elapsedMs: number } {
    clearInterval(this.timer);
    this.tick();
    return { readings: this.readings, elapsedMs: performance.now() - this.startedAt };
  }

  /** Resolves once `count` readings in total were produced. */
  reach(count: number): Promise<void> {
    if (this.readings >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.readings < count) return;
        this.off('produced', check);
        resolve();
      };
      this.on('produced', check);
    });
  }

  private tick(): void {
    const now = performance.now();
    const due = Math.floor(((now - this.startedAt) * this.perSecond) / 1000) - this.readings;
    if (due > 0) {
      const batch = Array.from({ length: due }, (_, k) => reading(this.readings + k + 1, `meter-${(this.readings + k) % 7}`));
      this.readings += due;
      this.outbox.enqueueTelemetry(batch);
    }
    if (now - this.lastEventAt >= this.eventEveryMs) {
      this.lastEventAt = now;
      this.events += 1;
      this.outbox.enqueueEvents([this.events % 3 === 0 ? cmdResult(`cmd-${this.events}`) : alarm(this.events)]);
    }
    this.emit('produced', this.readings);
  }
}
