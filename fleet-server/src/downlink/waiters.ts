/**
 * Callers waiting for something that arrives through the ingest (a command result, a config
 * report), keyed by what they wait for. Each wait ends with the value, or undefined at its
 * timeout; nothing here polls.
 */
export class Waiters<K, V> {
  private readonly waiting = new Map<K, Set<(value: V | undefined) => void>>();

  /** Resolves with the first value settled for `key` within `timeoutMs`, else undefined. */
  wait(key: K, timeoutMs: number, accept: (value: V) => boolean = () => true): Promise<V | undefined> {
    return new Promise((resolve) => {
      const set = this.waiting.get(key) ?? new Set();
      this.waiting.set(key, set);
      const done = (value: V | undefined): void => {
        if (value !== undefined && !accept(value)) return;
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.waiting.get(key) === set) this.waiting.delete(key);
        resolve(value);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      set.add(done);
    });
  }

  settle(key: K, value: V): void {
    for (const done of [...(this.waiting.get(key) ?? [])]) done(value);
  }

  /** Ends every wait with undefined (shutdown). */
  cancelAll(): void {
    for (const set of [...this.waiting.values()]) for (const done of [...set]) done(undefined);
  }
}
