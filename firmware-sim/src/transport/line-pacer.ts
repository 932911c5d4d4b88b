import type { LineTiming } from '../modbus/line-timing.js';

/**
 * Emulates an RTU line's occupancy on a PTY, which moves bytes instantly. A request is taken to
 * start when it arrives, or when the line becomes free if it arrives earlier; it occupies the line
 * for its character time, then t3.5, the device turnaround, and the response's character time;
 * the line is free again t3.5 after the response (Modbus over Serial Line v1.02 §2.5.1.1).
 * Times are performance.now() milliseconds.
 */
export class LinePacer {
  readonly #timing: LineTiming;
  readonly #turnaroundMs: number;
  #freeAt = 0;

  constructor(timing: LineTiming, turnaroundMs: number) {
    this.#timing = timing;
    this.#turnaroundMs = turnaroundMs;
  }

  /** When the reply's last byte leaves the device, i.e. when to hand it to the PTY. */
  reply(arrivalMs: number, reqBytes: number, respBytes: number, extraTurnaroundMs = 0): number {
    const { frameMs, t35Ms } = this.#timing;
    const start = Math.max(arrivalMs, this.#freeAt);
    const at = start + frameMs(reqBytes) + t35Ms + this.#turnaroundMs + extraTurnaroundMs + frameMs(respBytes);
    this.#freeAt = at + t35Ms;
    return at;
  }

  /** A request nobody answers (broadcast, another unit, a silent device) still occupies the line. */
  silent(arrivalMs: number, reqBytes: number): void {
    const start = Math.max(arrivalMs, this.#freeAt);
    this.#freeAt = start + this.#timing.frameMs(reqBytes) + this.#timing.t35Ms;
  }

  get freeAt(): number {
    return this.#freeAt;
  }
}
