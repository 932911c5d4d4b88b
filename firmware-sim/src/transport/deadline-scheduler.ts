/** setTimeout fires ~0.1 ms late (p99 ~0.3 ms measured here); wake this much early and spin to the deadline. */
const SPIN_MS = 1;

interface Job {
  at: number;
  run: () => void;
}

/**
 * Runs callbacks at absolute performance.now() deadlines with sub-millisecond accuracy, in
 * deadline order. setImmediate yields to I/O on every turn, so the spin does not starve sockets.
 */
export class DeadlineScheduler {
  #jobs: Job[] = [];
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;

  at(deadlineMs: number, run: () => void): void {
    let i = this.#jobs.length;
    while (i > 0 && (this.#jobs[i - 1]?.at ?? 0) > deadlineMs) i--;
    this.#jobs.splice(i, 0, { at: deadlineMs, run });
    this.#arm();
  }

  clear(): void {
    this.#disarm();
    this.#jobs = [];
  }

  get size(): number {
    return this.#jobs.length;
  }

  #disarm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
  }

  #arm(): void {
    this.#disarm();
    const head = this.#jobs[0];
    if (!head) return;
    const remaining = head.at - performance.now();
    if (remaining > SPIN_MS) this.#timer = setTimeout(() => this.#arm(), remaining - SPIN_MS);
    else this.#immediate = setImmediate(() => this.#tick());
  }

  #tick(): void {
    this.#immediate = undefined;
    const now = performance.now();
    try {
      while ((this.#jobs[0]?.at ?? Infinity) <= now) this.#jobs.shift()?.run();
    } finally {
      // A job that throws must not strand the ones after it.
      this.#arm();
    }
  }
}
