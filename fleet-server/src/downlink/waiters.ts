/**
 * Callers waiting for something that arrives through the ingest (a command result, a config
 * report), keyed by what they wait for. Each wait ends with the value, or undefined at its
 * timeout, when its signal aborts (the HTTP client went away) or at shutdown; nothing here polls.
 */
export class Waiters<K, V> {
  private readonly waiting = new Map<K, Set<(value: V | undefined) => void>>();
  private closed = false;

  /** Resolves with the first value settled for `key` within `timeoutMs`, else undefined. */
  wait(key: K, timeoutMs: number, accept: (value: V) => boolean = () => true, signal?: AbortSignal): Promise<V | undefined> {
    // After shutdown began, or for a client already gone, there is nobody to wait for.
    if (this.closed || signal?.aborted === true) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const set = this.waiting.get(key) ?? new Set();
      this.waiting.set(key, set);
      const done = (value: V | undefined): void => {
        if (value !== undefined && !accept(value)) return;
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        set.delete(done);
        if (set.size === 0 && this.waiting.get(key) === set) this.waiting.delete(key);
        resolve(value);
      };
      const abort = (): void => done(undefined);
      const timer = setTimeout(abort, timeoutMs);
      signal?.addEventListener('abort', abort, { once: true });
      set.add(done);
    });
  }

  settle(key: K, value: V): void {
    for (const done of [...(this.waiting.get(key) ?? [])]) done(value);
  }

  /**
   * Shutdown: ends every wait with undefined, and every later one at once, so no request holds
   * the HTTP server's close for the rest of its ?wait=.
   */
  cancelAll(): void {
    this.closed = true;
    for (const set of [...this.waiting.values()]) for (const done of [...set]) done(undefined);
  }
}
