import type { Writable } from 'node:stream';

interface QueuedReply {
  at: number;
  frame: Buffer;
}

/**
 * Replies of one TCP connection, written in request order. A reply delayed by the slowMs fault
 * holds back the replies queued after it, as a single-threaded device would.
 */
export class ReplyQueue {
  readonly #out: Writable;
  #items: QueuedReply[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(out: Writable) {
    this.#out = out;
  }

  push(frame: Buffer, delayMs: number): void {
    const previous = this.#items.at(-1)?.at ?? 0;
    this.#items.push({ at: Math.max(performance.now() + delayMs, previous), frame });
  }

  /** Writes every reply that is due (in one write when several are), and waits for the rest. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const now = performance.now();
    let due = 0;
    while (due < this.#items.length && (this.#items[due]?.at ?? Infinity) <= now) due++;
    if (due > 0 && this.#out.writable) {
      const first = this.#items[0];
      this.#out.write(due === 1 && first ? first.frame : Buffer.concat(this.#items.slice(0, due).map((r) => r.frame)));
    }
    this.#items = due === this.#items.length ? [] : this.#items.slice(due);
    const next = this.#items[0];
    if (next) this.#timer = setTimeout(() => this.flush(), Math.max(0, next.at - now));
  }

  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#items = [];
  }
}
