// The live stream's logic (docs/api.md "Live events"): trade the token for a short-lived ticket
// (EventSource cannot send headers), open GET /api/v1/events?ticket=, fan the events out. On an
// error or an `end` event: close, wait 1 s, 2 s … 15 s, take a new ticket and reopen with the id
// of the last event seen (`&lastEventId=`: each reopen is a new EventSource, which would not send
// it itself). The server then replays what was missed, and the views carry on; or it says `reset`
// (missed events no longer kept, server restarted), and the views reload their data once. The
// ticket request and the EventSource come in as dependencies, so this runs (and is tested)
// without a DOM.
import type { LiveEvent } from '../api/types.js';
import { backoffMs } from '../lib/backoff.js';

/** What the stream needs of an EventSource. */
export interface SourceLike {
  /** `lastEventId` as on a MessageEvent: the id of this frame or an earlier one of the same source. */
  addEventListener(type: string, fn: (e: { data?: unknown; lastEventId?: string }) => void): void;
  close(): void;
}

export interface LiveDeps {
  ticket: () => Promise<string>;
  open: (url: string) => SourceLike;
}

export type LiveStatus = 'live' | 'reconnecting';

type Listener<T> = (value: T) => void;

const EVENT_TYPES = ['alert', 'gateway', 'values', 'command'] as const;

export class LiveStream {
  status: LiveStatus = 'reconnecting';
  private source: SourceLike | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private opened = false;
  private stopped = true;
  /** The id of the last event seen: where a reconnect resumes. Forgotten by stop() (a new sign-in). */
  private lastEventId = '';
  /** Bumped by stop(): a ticket asked for before a stop must not open a stream after a new start. */
  private run = 0;
  private readonly events = new Set<Listener<LiveEvent>>();
  private readonly statuses = new Set<Listener<LiveStatus>>();
  private readonly reconnects = new Set<() => void>();

  constructor(private readonly deps: LiveDeps) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.run++;
    this.lastEventId = '';
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.source?.close();
    this.source = null;
    this.setStatus('reconnecting');
  }

  onEvent(fn: Listener<LiveEvent>): () => void {
    this.events.add(fn);
    return () => this.events.delete(fn);
  }

  onStatus(fn: Listener<LiveStatus>): () => void {
    this.statuses.add(fn);
    return () => this.statuses.delete(fn);
  }

  /**
   * Called when the views must reload their data: the stream came back from a drop without a
   * replay (the server said `reset`, or there was no event id to resume from). Not on the first open.
   */
  onReconnect(fn: () => void): () => void {
    this.reconnects.add(fn);
    return () => this.reconnects.delete(fn);
  }

  private setStatus(s: LiveStatus): void {
    if (s === this.status) return;
    this.status = s;
    for (const fn of this.statuses) fn(s);
  }

  private async connect(): Promise<void> {
    const run = this.run;
    let ticket: string;
    try {
      ticket = await this.deps.ticket();
    } catch {
      if (run === this.run) this.retry();
      return;
    }
    if (this.stopped || run !== this.run) return;
    const resuming = this.lastEventId !== '';
    const resume = resuming ? `&lastEventId=${encodeURIComponent(this.lastEventId)}` : '';
    const source = this.deps.open(`/api/v1/events?ticket=${encodeURIComponent(ticket)}${resume}`);
    this.source = source;
    const reload = (): void => {
      for (const fn of this.reconnects) fn();
    };
    const seen = (e: { lastEventId?: string }): void => {
      if (this.source === source && e.lastEventId) this.lastEventId = e.lastEventId;
    };
    const opened = (): void => {
      if (this.source !== source || this.status === 'live') return;
      this.attempt = 0;
      this.setStatus('live');
      // Resuming, the missed events follow (or a `reset`, which reloads then).
      if (this.opened && !resuming) reload();
      this.opened = true;
    };
    source.addEventListener('open', opened);
    source.addEventListener('hello', (e) => {
      seen(e);
      opened();
    });
    source.addEventListener('reset', (e) => {
      if (this.source !== source) return;
      seen(e);
      reload();
    });
    // Carries only the server's position (an id), so a quiet view resumes from near the head.
    source.addEventListener('heartbeat', seen);
    source.addEventListener('error', () => this.drop(source));
    source.addEventListener('end', () => this.drop(source));
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (e) => {
        if (this.source !== source) return;
        let data: unknown;
        try {
          data = JSON.parse(String(e.data));
        } catch {
          return;
        }
        seen(e);
        const event = { type, data } as LiveEvent;
        for (const fn of this.events) fn(event);
      });
    }
  }

  private drop(source: SourceLike): void {
    if (this.source !== source) return;
    source.close();
    this.source = null;
    this.retry();
  }

  private retry(): void {
    if (this.stopped) return;
    this.setStatus('reconnecting');
    const delay = backoffMs(this.attempt++);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }
}
