/**
 * Calls `onQuiet` once the line has stayed quiet for `ms` (the RTU server then abandons a partial
 * frame: the master gave up). A timer that fires late means the process was starved, and Node's
 * event loop runs due timers before it reads the bytes waiting in the port: the rest of the frame
 * may already be there, unread. Then the timer waits one more period, which gives the port its
 * turn, instead of dropping a frame that was never interrupted.
 */
export class QuietLineTimer {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly onQuiet: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** (Re)starts the wait: call on every byte received while a frame is incomplete. */
  arm(): void {
    this.cancel();
    const due = this.now() + this.ms;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.now() - due > this.ms / 2) this.arm();
      else this.onQuiet();
    }, this.ms);
  }

  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
