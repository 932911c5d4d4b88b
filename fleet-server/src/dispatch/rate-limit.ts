export interface RecipientRateLimit {
  /** At most this many SMS to one recipient … */
  readonly count: number;
  /** … in any sliding window of this length. */
  readonly windowMs: number;
}

export type RecipientRateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAtMs: number };

/**
 * Sliding-window check for one recipient: `sentAtMs` are the times of earlier sends (any order).
 * When the window is full the send is deferred until the oldest send in it leaves the window,
 * never dropped: an alarm SMS that arrives late still beats one that never arrives.
 */
export function checkRateLimit(limit: RecipientRateLimit, sentAtMs: readonly number[], nowMs: number): RecipientRateDecision {
  const inWindow = sentAtMs.filter((t) => t > nowMs - limit.windowMs && t <= nowMs).sort((a, b) => a - b);
  if (inWindow.length < limit.count) return { allowed: true };
  // The (len − count + 1)-th oldest must leave before one more fits.
  const blocking = inWindow[inWindow.length - limit.count];
  return { allowed: false, retryAtMs: (blocking ?? nowMs) + limit.windowMs };
}

/** Drops sends older than the window so the per-recipient history stays bounded. */
export function pruneHistory(limit: RecipientRateLimit, sentAtMs: readonly number[], nowMs: number): number[] {
  return sentAtMs.filter((t) => t > nowMs - limit.windowMs);
}

/** Rejects a limit that would defer every SMS forever or never limit anything by mistake. */
export function validateRateLimit(limit: RecipientRateLimit): RecipientRateLimit {
  if (!Number.isInteger(limit.count) || limit.count < 1) {
    throw new Error(`rateLimit.perRecipient.count must be an integer >= 1, got ${limit.count}`);
  }
  if (!Number.isFinite(limit.windowMs) || limit.windowMs <= 0) {
    throw new Error(`rateLimit.perRecipient.windowMs must be > 0, got ${limit.windowMs}`);
  }
  return limit;
}
