/** A reading serialised at enqueue time, waiting for the next batched transaction. */
export interface PendingRow {
  json: string;
  bytes: number;
  enqueuedAt: number;
}

export interface TelemetryBufferDeps {
  batchSize: number;
  flushIntervalMs: number;
  /** Rows kept while writes fail (disk full); beyond it the oldest pending rows are dropped. */
  maxPendingRows: number;
  /** Writes the rows in one transaction; throws when nothing was stored. */
  write(rows: PendingRow[]): void;
  /** A flush the caller did not ask for (timer or full batch) failed; the rows stay pending. */
  onBackgroundError(err: unknown, pending: number): void;
  onOverflow(dropped: number): void;
}

/**
 * Collects telemetry and writes it in one transaction per batch: when `batchSize` rows are
 * pending, after `flushIntervalMs` (timer unref'd so it never keeps the process alive), or on
 * flush(). One row a transaction costs ~140× the throughput of 1000 (LIBRARIES.md).
 */
export class TelemetryBuffer {
  private rows: PendingRow[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: TelemetryBufferDeps) {}

  get pending(): number {
    return this.rows.length;
  }

  add(rows: readonly PendingRow[]): void {
    for (const row of rows) this.rows.push(row);
    if (this.rows.length >= this.deps.batchSize) this.flushInBackground();
    else this.arm();
  }

  /** Writes everything pending; on failure the rows stay pending and the error is thrown. */
  flush(): void {
    this.disarm();
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    try {
      this.deps.write(rows);
    } catch (err) {
      this.restore(rows);
      throw err;
    }
  }

  /** Pending rows are discarded (close after a failed final flush). */
  discard(): number {
    this.disarm();
    const n = this.rows.length;
    this.rows = [];
    return n;
  }

  private flushInBackground(): void {
    try {
      this.flush();
    } catch (err) {
      this.deps.onBackgroundError(err, this.rows.length);
    }
  }

  private restore(failed: PendingRow[]): void {
    const all = failed.concat(this.rows);
    const excess = all.length - this.deps.maxPendingRows;
    this.rows = excess > 0 ? all.slice(excess) : all;
    if (excess > 0) this.deps.onOverflow(excess);
    this.arm();
  }

  private arm(): void {
    if (this.timer !== undefined || this.rows.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushInBackground();
    }, this.deps.flushIntervalMs);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
