/** A stored telemetry row as eviction sees it (oldest first). */
export interface EvictionCandidate {
  enqueuedAt: number;
  bytes: number;
}

export interface EvictionLimits {
  /** Stored bytes above maxBytes (events included); ≤ 0 when under the size bound. */
  excessBytes: number;
  /** Rows enqueued before this instant are older than maxAge. */
  cutoff: number;
}

export interface EvictionChoice {
  /** How many rows, from the front of the candidates, to drop. */
  count: number;
  bytes: number;
}

/**
 * How many of the oldest telemetry rows to drop so the outbox is back under both bounds.
 * Strictly oldest-first: it stops at the first row that is neither needed for space nor
 * expired, so a backwards clock step never punches holes in the middle of the stream.
 */
export function chooseEvictions(candidates: readonly EvictionCandidate[], limits: EvictionLimits): EvictionChoice {
  let excess = limits.excessBytes;
  let count = 0;
  let bytes = 0;
  for (const row of candidates) {
    if (excess <= 0 && row.enqueuedAt >= limits.cutoff) break;
    count++;
    bytes += row.bytes;
    excess -= row.bytes;
  }
  return { count, bytes };
}
