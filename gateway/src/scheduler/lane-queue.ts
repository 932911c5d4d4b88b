/** Priority lanes, highest first: commands, then alarm (fast) points, then normal, then slow. */
export const LANES = ['command', 'fast', 'normal', 'slow'] as const;
export type Lane = (typeof LANES)[number];

/**
 * Default bound on starvation: a poll lane with runnable work is passed over by at most this
 * many dispatches to higher poll lanes before it gets one of its own.
 */
export const DEFAULT_STARVATION_LIMIT = 8;

/**
 * Strict priority with FIFO order within a lane, plus a starvation bound. Choice (documented in
 * the README of this folder via this comment): pure strict priority lets a saturated fast lane
 * stop slow reads forever, and slow points (counters, totals) would then turn stale unnoticed.
 * So every poll lane counts the dispatches that went to a higher poll lane while it had a job
 * ready; at `starvationLimit` it takes the next dispatch. Commands are exempt both ways: they
 * always go first and are never counted as starving (an operator is waiting for them).
 */
export class LaneQueue<T> {
  readonly #lanes: Record<Lane, T[]> = { command: [], fast: [], normal: [], slow: [] };
  readonly #bypassed: Record<Lane, number> = { command: 0, fast: 0, normal: 0, slow: 0 };
  readonly #limit: number;

  constructor(starvationLimit = DEFAULT_STARVATION_LIMIT) {
    if (!Number.isInteger(starvationLimit) || starvationLimit < 1) {
      throw new RangeError(`LaneQueue: starvationLimit must be an integer of at least 1, got ${starvationLimit}`);
    }
    this.#limit = starvationLimit;
  }

  get size(): number {
    return LANES.reduce((n, lane) => n + this.#lanes[lane].length, 0);
  }

  push(lane: Lane, item: T): void {
    this.#lanes[lane].push(item);
  }

  /** Removes and returns the next item that `isReady` accepts, or undefined when none is ready. */
  take(isReady: (item: T) => boolean): { lane: Lane; item: T } | undefined {
    const ready = new Map<Lane, number>();
    for (const lane of LANES) {
      const index = this.#lanes[lane].findIndex(isReady);
      if (index >= 0) ready.set(lane, index);
    }
    const lane = this.#choose(ready);
    if (lane === undefined) return undefined;
    for (const other of ready.keys()) {
      if (other !== 'command' && LANES.indexOf(other) > LANES.indexOf(lane)) this.#bypassed[other]++;
    }
    this.#bypassed[lane] = 0;
    const [item] = this.#lanes[lane].splice(ready.get(lane) ?? 0, 1) as [T];
    return { lane, item };
  }

  /** Removes every queued item (for close). */
  drain(): T[] {
    return LANES.flatMap((lane) => this.#lanes[lane].splice(0));
  }

  #choose(ready: ReadonlyMap<Lane, number>): Lane | undefined {
    if (ready.has('command')) return 'command';
    let starved: Lane | undefined;
    for (const lane of ready.keys()) {
      if (this.#bypassed[lane] >= this.#limit && (starved === undefined || this.#bypassed[lane] > this.#bypassed[starved])) starved = lane;
    }
    return starved ?? LANES.find((lane) => ready.has(lane));
  }
}
