/** Token-bucket limits: `attempts` per `windowMs`, refilled continuously. */
export interface RateLimit {
  attempts: number;
  windowMs: number;
  /** Buckets tracked at most (per key kind); beyond it the oldest are forgotten. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * One token bucket per key. A key starts full (`attempts` tokens); each attempt takes one;
 * tokens come back at attempts/windowMs, so after a whole window an exhausted key is full again.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxKeys: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    if (!(limit.attempts >= 1) || !(limit.windowMs > 0)) {
      throw new RangeError(`rate limit: attempts must be >= 1 and windowMs > 0 (got ${limit.attempts}, ${limit.windowMs})`);
    }
    this.maxKeys = limit.maxKeys ?? 10_000;
  }

  /** Takes one token for `key`; false (and nothing taken) when the bucket is empty. */
  tryTake(key: string): boolean {
    const bucket = this.refill(key);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Forgets `key`: its next attempt starts from a full bucket (a success that clears a failure count). */
  forget(key: string): void {
    this.buckets.delete(key);
  }

  /** Tokens left for `key` now (for tests and stats). */
  remaining(key: string): number {
    return Math.floor(this.refill(key).tokens);
  }

  get size(): number {
    return this.buckets.size;
  }

  private refill(key: string): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.evictIfFull();
      bucket = { tokens: this.limit.attempts, updatedAt: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const rate = this.limit.attempts / this.limit.windowMs;
    // max(0, …): a clock stepping backwards must not drain the bucket.
    bucket.tokens = Math.min(this.limit.attempts, bucket.tokens + Math.max(0, now - bucket.updatedAt) * rate);
    bucket.updatedAt = now;
    return bucket;
  }

  // Bounds memory against a flood of distinct client ids: forget full buckets first, then the oldest.
  private evictIfFull(): void {
    if (this.buckets.size < this.maxKeys) return;
    const now = this.now();
    const rate = this.limit.attempts / this.limit.windowMs;
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.updatedAt) * rate >= this.limit.attempts) this.buckets.delete(key);
    }
    const oldest = this.buckets.keys().next();
    if (this.buckets.size >= this.maxKeys && oldest.done !== true) this.buckets.delete(oldest.value);
  }
}
