/** How long the transaction rate is averaged over. */
export const RATE_WINDOW_MS = 10_000;
const BUCKET_MS = 1_000;

export interface BusStatsSnapshot {
  transactions: number;
  /** Failed transactions by error code (MODBUS_TIMEOUT, MODBUS_EXCEPTION, ...). */
  errors: Record<string, number>;
  /** Time with a transaction in flight (summed over parallel TCP transactions). */
  busyMs: number;
  /** Busy time spent on probes of offline devices. */
  probeMs: number;
  /** Transactions per second over the last RATE_WINDOW_MS. */
  rate: number;
  /** probeMs / busyMs: the circuit breaker keeps it small. */
  probeShare: number;
}

/** Per-bus counters for health (protocol BusHealth), with the rate over a sliding window. */
export class BusStats {
  #transactions = 0;
  readonly #errors: Record<string, number> = {};
  #busyMs = 0;
  #probeMs = 0;
  /** Completions per BUCKET_MS slot, keyed by slot number. */
  readonly #buckets = new Map<number, number>();

  record(opts: { startedAt: number; endedAt: number; errorCode?: string; probe?: boolean }): void {
    this.#transactions++;
    const busy = Math.max(0, opts.endedAt - opts.startedAt);
    this.#busyMs += busy;
    if (opts.probe === true) this.#probeMs += busy;
    if (opts.errorCode !== undefined) this.#errors[opts.errorCode] = (this.#errors[opts.errorCode] ?? 0) + 1;
    const slot = Math.floor(opts.endedAt / BUCKET_MS);
    this.#buckets.set(slot, (this.#buckets.get(slot) ?? 0) + 1);
    this.#prune(slot);
  }

  snapshot(now: number): BusStatsSnapshot {
    const current = Math.floor(now / BUCKET_MS);
    this.#prune(current);
    let recent = 0;
    for (const [slot, count] of this.#buckets) if (slot > current - RATE_WINDOW_MS / BUCKET_MS) recent += count;
    return {
      transactions: this.#transactions,
      errors: { ...this.#errors },
      busyMs: this.#busyMs,
      probeMs: this.#probeMs,
      rate: recent / (RATE_WINDOW_MS / 1000),
      probeShare: this.#busyMs > 0 ? this.#probeMs / this.#busyMs : 0,
    };
  }

  #prune(current: number): void {
    for (const slot of this.#buckets.keys()) if (slot <= current - RATE_WINDOW_MS / BUCKET_MS) this.#buckets.delete(slot);
  }
}
