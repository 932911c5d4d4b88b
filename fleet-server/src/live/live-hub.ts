import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { eventId, mayView, SSE_RETRY, sseFrame } from './live-event.js';
import type { LiveEvent, LiveViewer } from './live-event.js';
import { LiveRing, RING_LIMITS } from './live-ring.js';
import type { RingEntry, RingLimits } from './live-ring.js';
import { planResume } from './live-resume.js';
import { LiveStream } from './live-stream.js';

export interface LiveHubOptions {
  /** Whether the token behind a stream is still live (not revoked or expired, its user not deleted). */
  isTokenLive(viewer: LiveViewer): Promise<boolean>;
  logger: Logger;
  /** Comment line and token re-check interval; default 15 s. */
  heartbeatMs?: number;
  /** Open streams per user; default 20 (a dashboard opens one per tab). */
  maxStreamsPerUser?: number;
  /** Bytes waiting in one stream's socket before it is dropped; default 1 MiB. */
  maxBufferedBytes?: number;
  /** The number of open streams after each change (the edgefleet_live_streams gauge). */
  onCount?(open: number): void;
  /** The clock of the ring's age bound; default Date.now. */
  now?: () => number;
  /** Bounds of the replay ring; default RING_LIMITS (tests make them small). */
  ring?: RingLimits;
}

/** What a new stream starts with: its `hello` data, and the id of the last event the page saw. */
export interface StreamStart {
  hello: unknown;
  lastEventId?: string | undefined;
}

const DEFAULTS = { heartbeatMs: 15_000, maxStreamsPerUser: 20, maxBufferedBytes: 1024 * 1024, now: Date.now, ring: RING_LIMITS };

/**
 * Fans live changes out to the open SSE streams, each filtered by its viewer's scope. In memory
 * and per instance: with several server instances each pushes the changes it observes itself;
 * the token re-check at every heartbeat still sees revocations made on any instance.
 * Every event gets an id `<boot>-<seq>` and stays in a bounded ring, so a page that reconnects
 * with the last id it saw is replayed what it missed instead of reloading (live-resume.ts).
 */
export class LiveHub {
  /** Random per hub: ids of a restarted server never pass for this one's. */
  readonly boot = randomBytes(6).toString('hex');
  private seq = 0;
  private readonly ring: LiveRing;
  /** When the last stream went away: a page may come back to resume until the ring's age bound. */
  private lastLeftAt = -Infinity;
  private readonly streams = new Set<LiveStream>();
  private readonly opts: Required<Omit<LiveHubOptions, 'onCount'>> & Pick<LiveHubOptions, 'onCount'>;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private checking = false;
  private closed = false;

  constructor(options: LiveHubOptions) {
    this.opts = { ...DEFAULTS, ...options };
    this.ring = new LiveRing(this.opts.ring, this.opts.now);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.heartbeat(), this.opts.heartbeatMs);
    // The heartbeat alone must not keep a process alive whose servers have closed.
    this.timer.unref();
  }

  get size(): number {
    return this.streams.size;
  }

  /** Whether opening one more stream for this user stays within the per-user cap. */
  mayOpen(userId: string): boolean {
    let open = 0;
    for (const s of this.streams) if (s.viewer.userId === userId) open += 1;
    return open < this.opts.maxStreamsPerUser;
  }

  /**
   * Takes over a response whose headers the caller has written: `retry`, `hello`, then the missed
   * events or a `reset`, then live events. One synchronous run from the replay plan to joining the
   * live set, so no event can fall between the two or reach the stream twice. Ended at once when
   * the hub is closed.
   */
  open(viewer: LiveViewer, res: ServerResponse, start: StreamStart): LiveStream {
    const stream = new LiveStream(viewer, res, this.opts.maxBufferedBytes, (s) => {
      this.opts.logger.warn({ user: s.viewer.userId }, 'live stream dropped: the client does not read (buffer limit)');
      this.remove(s);
    });
    if (this.closed) {
      // Opened while the server stops: a stream kept now would hold the close.
      stream.end('server stopping');
      return stream;
    }
    const plan = planResume({
      lastEventId: start.lastEventId, boot: this.boot, seq: this.seq, ring: this.ring, viewer,
      maxBytes: this.opts.maxBufferedBytes / 2,
    });
    stream.write(SSE_RETRY);
    if (plan.kind === 'reset') {
      // The id goes on `reset`, not `hello`: a page that drops before reading the reset must get it again.
      stream.send('hello', start.hello);
      stream.send('reset', { reason: plan.reason }, eventId(this.boot, this.seq));
    } else {
      stream.send('hello', start.hello, eventId(this.boot, plan.kind === 'resume' ? plan.seq : this.seq));
      if (plan.kind === 'resume') this.replay(stream, plan.seq, plan.missed);
    }
    if (!stream.isOpen) return stream;
    this.streams.add(stream);
    res.once('close', () => this.remove(stream));
    this.opts.onCount?.(this.streams.size);
    return stream;
  }

  publish(event: LiveEvent): void {
    const seq = ++this.seq;
    const entry: RingEntry = { seq, at: this.opts.now(), event, frame: sseFrame(event.name, event.data, eventId(this.boot, seq)) };
    this.ring.append(entry);
    for (const s of [...this.streams]) this.deliver(s, entry);
  }

  /**
   * Builds events (which may need store lookups, e.g. an alert's site) only while a stream is open
   * or one closed within the ring's age bound (its page may come back and resume), one build after
   * the other, so events leave in the order the changes were observed.
   */
  publishLater(make: () => Promise<readonly LiveEvent[]>): void {
    if (!this.isWatched()) {
      // Not built, so not in the ring: a page coming back with an older id must reload.
      this.ring.lose(++this.seq);
      return;
    }
    this.chain = this.chain.then(make).then((events) => {
      for (const event of events) this.publish(event);
    }).catch((err: unknown) => this.opts.logger.error({ err }, 'live event could not be built'));
  }

  /** Ends (with `event: end`) every stream whose viewer matches, e.g. those of a revoked token. */
  end(match: (viewer: LiveViewer) => boolean, reason: string): void {
    for (const s of [...this.streams]) {
      if (!match(s.viewer)) continue;
      s.end(reason);
      this.remove(s);
    }
  }

  /** Ends every stream (server shutdown) and stops the heartbeat. */
  close(reason: string): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.end(() => true, reason);
  }

  private remove(stream: LiveStream): void {
    if (!this.streams.delete(stream)) return;
    this.lastLeftAt = this.opts.now();
    this.opts.onCount?.(this.streams.size);
  }

  private isWatched(): boolean {
    return this.streams.size > 0 || this.opts.now() - this.lastLeftAt <= this.opts.ring.maxAgeMs;
  }

  /** The entry's frame when the stream's viewer may see it; false when the stream is gone. */
  private deliver(stream: LiveStream, entry: RingEntry): boolean {
    return !mayView(stream.viewer, entry.event) || stream.write(entry.frame);
  }

  /**
   * Writes the missed events, then whatever was published meanwhile (were a write to run code
   * that publishes), until the stream has everything up to the newest event.
   */
  private replay(stream: LiveStream, from: number, missed: readonly RingEntry[]): void {
    let last = from;
    let batch: readonly RingEntry[] | undefined = missed;
    while (batch !== undefined && batch.length > 0) {
      for (const entry of batch) {
        if (!this.deliver(stream, entry)) return;
        last = entry.seq;
      }
      batch = this.ring.after(last);
    }
    // Evicted before it was written: the page comes back with its id and gets a reset.
    if (batch === undefined) stream.end('missed events no longer kept');
  }

  /**
   * A `heartbeat` event to every stream, then the tokens re-checked (each token once however many
   * tabs use it). The heartbeat keeps proxies from closing an idle stream, and its id is the hub's
   * position: every event up to it has been written to each open stream (or was not for its
   * viewer), so a page resumes from there. Without it a manager of a quiet site would keep the id
   * of their last own event, which busier sites push out of the ring: every drop, a reload.
   */
  private async heartbeat(): Promise<void> {
    const frame = sseFrame('heartbeat', {}, eventId(this.boot, this.seq));
    for (const s of [...this.streams]) if (!s.write(frame)) this.remove(s);
    if (this.checking) return;
    this.checking = true;
    try {
      const byToken = new Map<string, LiveViewer>();
      for (const s of this.streams) byToken.set(s.viewer.tokenId, s.viewer);
      const dead = new Set<string>();
      await Promise.all([...byToken.values()].map(async (viewer) => {
        if (!(await this.opts.isTokenLive(viewer))) dead.add(viewer.tokenId);
      }));
      if (dead.size > 0) this.end((v) => dead.has(v.tokenId), 'token no longer valid (revoked, expired or user deleted)');
    } catch (err) {
      // A store hiccup keeps the streams: the next heartbeat checks again.
      this.opts.logger.error({ err }, 'live streams: token re-check failed');
    } finally {
      this.checking = false;
    }
  }
}
