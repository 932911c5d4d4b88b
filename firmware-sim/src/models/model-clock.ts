/**
 * Turns step(nowMs) calls into fixed-size slices, so a model behaves the same whether it is
 * stepped every 100 ms or jumped an hour ahead by a test.
 */
export class ModelClock {
  #last: number | undefined;

  /** Time of the last step, or undefined before the first. */
  get now(): number | undefined {
    return this.#last;
  }

  /** Calls advance(dtMs, atMs) for each slice of at most maxSliceMs up to nowMs. */
  advanceTo(nowMs: number, maxSliceMs: number, advance: (dtMs: number, atMs: number) => void): void {
    if (!Number.isFinite(nowMs)) throw new RangeError(`step time must be a finite number of ms, got ${nowMs}`);
    if (this.#last === undefined) {
      this.#last = nowMs;
      return;
    }
    // Time never runs backwards inside a model; a late caller just waits for the clock.
    while (this.#last < nowMs) {
      const dt = Math.min(maxSliceMs, nowMs - this.#last);
      this.#last += dt;
      advance(dt, this.#last);
    }
  }
}

export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** Hour of day (0..24, fractional, UTC) of a time: drives day/night patterns. */
export function hourOfDay(atMs: number): number {
  return (((atMs % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / MS_PER_HOUR;
}
