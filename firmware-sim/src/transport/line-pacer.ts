import type { LineTiming } from '../modbus/line-timing.js';

/**
 * Emulates an RTU line's occupancy on a PTY, which moves bytes instantly. A request is taken to
 * start when it arrives, or when the line becomes free if it arrives earlier; it occupies the line
 * for its character time, then t3.5, the device turnaround, and the response's character time;
 * the line is free again t3.5 after the response (Modbus over Serial Line v1.02 §2.5.1.1).
 * Times are performance.now() milliseconds.
 *
 * With `emulateLine: false` (a real UART, which itself takes the character time to move bytes)
 * a request has already occupied the line when its last byte arrives, and the reply is handed to
 * the port after t3.5 + turnaround; the UART spends the response's character time sending it.
 */
export class LinePacer {
  readonly #timing: LineTiming;
  readonly #turnaroundMs: number;
  readonly #emulateLine: boolean;
  #freeAt = 0;

  constructor(timing: LineTiming, turnaroundMs: number, opts: { emulateLine?: boolean } = {}) {
    this.#timing = timing;
    this.#turnaroundMs = turnaroundMs;
    this.#emulateLine = opts.emulateLine ?? true;
  }

  /** Character time the port itself does not spend, so the pacer must. */
  #emulated(bytes: number): number {
    return this.#emulateLine ? this.#timing.frameMs(bytes) : 0;
  }

  /** When to hand the reply to the port: on a PTY, when its last byte would leave the device. */
  reply(arrivalMs: number, reqBytes: number, respBytes: number, extraTurnaroundMs = 0): number {
    const { frameMs, t35Ms } = this.#timing;
    const start = Math.max(arrivalMs, this.#freeAt);
    const at = start + this.#emulated(reqBytes) + t35Ms + this.#turnaroundMs + extraTurnaroundMs + this.#emulated(respBytes);
    this.#freeAt = at + (this.#emulateLine ? 0 : frameMs(respBytes)) + t35Ms;
    return at;
  }

  /** A request nobody answers (broadcast, another unit, a silent device) still occupies the line. */
  silent(arrivalMs: number, reqBytes: number): void {
    const start = Math.max(arrivalMs, this.#freeAt);
    this.#freeAt = start + this.#emulated(reqBytes) + this.#timing.t35Ms;
  }

  get freeAt(): number {
    return this.#freeAt;
  }
}
