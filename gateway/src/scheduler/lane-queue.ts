/** Priority lanes, highest first: commands, then alarm (fast) points, then normal, then slow. */
export const LANES = ['command', 'fast', 'normal', 'slow'] as const;
export type Lane = (typeof LANES)[number];

/**
 * Default bound on starvation: a poll lane with runnable work is passed over by at most this
 * many dispatches to higher poll lanes before it gets one of its own.
 */
export const DEFAULT_STARVATION_LIMIT = 8;

/**
 * Strict priority with FIFO order within a lane, plus a starvation bound. Choice: pure strict
 * priority lets a saturated fast lane stop slow reads forever — and it does in practice: a
 * device whose minRequestGap is about its fast interval would never get its normal or slow
 * points read, and they would go stale unnoticed. So each queued job counts the dispatches that
 * went to a higher poll lane while it was the first ready job of its own lane; at
 * `starvationLimit` it takes the next dispatch. The count is per job, not per lane, so other
 * devices' jobs in the same lane cannot reset it. Commands are exempt both ways: they always go
 * first and are never counted as starving (an operator is waiting for them).
 */
export class LaneQueue<T> {
  readonly #lanes: Record<Lane, { item: T; bypassed: number }[]> = { command: [], fast: [], normal: [], slow: [] };
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
    this.#lanes[lane].push({ item, bypassed: 0 });
  }

  /** Removes and returns the next item that `isReady` accepts, or undefined when none is ready. */
  take(isReady: (item: T) => boolean): { lane: Lane; item: T } | undefined {
    const ready = new Map<Lane, number>();
    for (const lane of LANES) {
      const index = this.#lanes[lane].findIndex((e) => isReady(e.item));
      if (index >= 0) ready.set(lane, index);
    }
    const lane = this.#choose(ready);
    if (lane === undefined) return undefined;
    for (const [other, index] of ready) {
      if (other !== 'command' && LANES.indexOf(other) > LANES.indexOf(lane)) this.#lanes[other][index]!.bypassed++;
    }
    const [entry] = this.#lanes[lane].splice(ready.get(lane) ?? 0, 1);
    return { lane, item: entry!.item };
  }

  /** Removes every queued item (for close). */
  drain(): T[] {
    return LANES.flatMap((lane) => this.#lanes[lane].splice(0).map((e) => e.item));
  }

  #choose(ready: ReadonlyMap<Lane, number>): Lane | undefined {
    if (ready.has('command')) return 'command';
    let starved: Lane | undefined;
    let most = this.#limit - 1;
    for (const [lane, index] of ready) {
      const bypassed = this.#lanes[lane][index]!.bypassed;
      if (bypassed > most) {
        most = bypassed;
        starved = lane;
      }
    }
    return starved ?? LANES.find((lane) => ready.has(lane));
  }
}
