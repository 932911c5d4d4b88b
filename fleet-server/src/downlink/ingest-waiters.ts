import { Waiters } from './waiters.js';

/**
 * What CommandResults and ConfigStates share: they follow the ingest, record what a gateway
 * reported, and wake the API requests waiting for it (?wait=). The work each ingest callback
 * starts is tracked so stop() returns only once it has all finished.
 */
export abstract class IngestWaiters<K, V> {
  protected readonly waiters = new Waiters<K, V>();
  private readonly inFlight = new Set<Promise<void>>();
  private unlisten: (() => void) | undefined;

  /** Subscribes once (a second start is a no-op); `subscribe` returns the unsubscribe. */
  protected follow(subscribe: () => () => void): void {
    this.unlisten ??= subscribe();
  }

  /** Ends every wait now (the stored state is answered), and later ones at once: the HTTP server is closing. */
  cancelWaits(): void {
    this.waiters.cancelAll();
  }

  async stop(): Promise<void> {
    this.unlisten?.();
    this.unlisten = undefined;
    await Promise.all([...this.inFlight]);
    this.waiters.cancelAll();
  }

  protected track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}
