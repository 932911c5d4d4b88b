import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { mayView, SSE_HEARTBEAT } from './live-event.js';
import type { LiveEvent, LiveViewer } from './live-event.js';
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
}

const DEFAULTS = { heartbeatMs: 15_000, maxStreamsPerUser: 20, maxBufferedBytes: 1024 * 1024 };

/**
 * Fans live changes out to the open SSE streams, each filtered by its viewer's scope. In memory
 * and per instance: with several server instances each pushes the changes it observes itself;
 * the token re-check at every heartbeat still sees revocations made on any instance.
 */
export class LiveHub {
  private readonly streams = new Set<LiveStream>();
  private readonly opts: Required<Omit<LiveHubOptions, 'onCount'>> & Pick<LiveHubOptions, 'onCount'>;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private checking = false;
  private closed = false;

  constructor(options: LiveHubOptions) {
    this.opts = { ...DEFAULTS, ...options };
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

  /** Takes over a response whose headers the caller has written; ended at once when the hub is closed. */
  add(viewer: LiveViewer, res: ServerResponse): LiveStream {
    const stream = new LiveStream(viewer, res, this.opts.maxBufferedBytes, (s) => {
      this.opts.logger.warn({ user: s.viewer.userId }, 'live stream dropped: the client does not read (buffer limit)');
      this.remove(s);
    });
    if (this.closed) {
      // Opened while the server stops: a stream kept now would hold the close.
      stream.end('server stopping');
      return stream;
    }
    this.streams.add(stream);
    res.once('close', () => this.remove(stream));
    this.opts.onCount?.(this.streams.size);
    return stream;
  }

  publish(event: LiveEvent): void {
    for (const s of [...this.streams]) if (mayView(s.viewer, event)) s.send(event.name, event.data);
  }

  /**
   * Builds events (which may need store lookups, e.g. an alert's site) only while a stream is open,
   * one build after the other, so events leave in the order the changes were observed.
   */
  publishLater(make: () => Promise<readonly LiveEvent[]>): void {
    if (this.streams.size === 0) return;
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
    if (this.streams.delete(stream)) this.opts.onCount?.(this.streams.size);
  }

  /** Comment line to every stream, then the tokens re-checked (each token once however many tabs use it). */
  private async heartbeat(): Promise<void> {
    for (const s of [...this.streams]) if (!s.write(SSE_HEARTBEAT)) this.remove(s);
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
