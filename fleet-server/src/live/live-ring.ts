import type { LiveEvent } from './live-event.js';

/** One event the hub sent, kept so a stream that reconnects can be given what it missed. */
export interface RingEntry {
  seq: number;
  /** When the hub sent it (the age bound). */
  at: number;
  event: LiveEvent;
  /** The whole SSE frame, `id:` included: built once, written to every viewer allowed to see it. */
  frame: string;
}

/** A kept entry, with its frame's size in bytes (the byte bound, and the replay's size check). */
export type KeptEntry = RingEntry & { bytes: number };

export interface RingLimits {
  maxEvents: number;
  maxAgeMs: number;
  maxBytes: number;
}

/**
 * What a reconnecting page may be replayed. A drop lasts the page's backoff (1–15 s) plus a
 * ticket round trip, so minutes are plenty; a page away longer reloads its view anyway (a reload
 * costs a few GETs, a replay of everything would cost more). 5,000 events covers a busy site's
 * five minutes of values events; the byte bound stops a few huge values events (thousands of
 * points each) from holding hundreds of MB, since every frame is kept whole.
 */
export const RING_LIMITS: RingLimits = { maxEvents: 5_000, maxAgeMs: 5 * 60_000, maxBytes: 16 * 1024 * 1024 };

/**
 * The hub's recent events, oldest first, bounded by count, age and bytes. It also remembers the
 * newest seq it no longer holds (evicted, or never recorded: `lose`), so it can tell whether
 * everything after a given seq is still here — the one condition for a replay without a gap.
 */
export class LiveRing {
  private entries: KeptEntry[] = [];
  private bytes = 0;
  /** Every event with a seq at or below this one may be missing; 0: none lost yet. */
  private lostThrough = 0;

  constructor(private readonly limits: RingLimits, private readonly now: () => number) {}

  get size(): number {
    return this.entries.length;
  }

  append(entry: RingEntry): void {
    const bytes = Buffer.byteLength(entry.frame);
    this.entries.push({ ...entry, bytes });
    this.bytes += bytes;
    this.prune();
  }

  /** Events up to `seq` were not recorded (built for nobody): no replay may cross that point. */
  lose(seq: number): void {
    this.entries = [];
    this.bytes = 0;
    this.lostThrough = Math.max(this.lostThrough, seq);
  }

  /** The events after `seq`, oldest first, or undefined when one of them is no longer held. */
  after(seq: number): readonly KeptEntry[] | undefined {
    this.prune();
    if (seq < this.lostThrough) return undefined;
    const first = this.entries.findIndex((e) => e.seq > seq);
    return first < 0 ? [] : this.entries.slice(first);
  }

  private prune(): void {
    const oldest = this.now() - this.limits.maxAgeMs;
    let drop = 0;
    let bytes = this.bytes;
    for (const e of this.entries) {
      const over = this.entries.length - drop > this.limits.maxEvents || bytes > this.limits.maxBytes;
      if (!over && e.at >= oldest) break;
      bytes -= e.bytes;
      this.lostThrough = e.seq;
      drop += 1;
    }
    if (drop === 0) return;
    this.entries.splice(0, drop);
    this.bytes = bytes;
  }
}
