// The live stream's logic (docs/api.md "Live events"): trade the token for a short-lived ticket
// (EventSource cannot send headers), open GET /api/v1/events?ticket=, fan the events out. On an
// error or an `end` event: close, wait 1 s, 2 s … 15 s, take a new ticket and reopen; once open
// again, tell the views to reload their data once so nothing missed stays missing. The ticket
// request and the EventSource come in as dependencies, so this runs (and is tested) without a DOM.
import type { LiveEvent } from '../api/types.js';
import { backoffMs } from '../lib/backoff.js';

/** What the stream needs of an EventSource. */
export interface SourceLike {
  addEventListener(type: string, fn: (e: { data?: unknown }) => void): void;
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

  /** Called after the stream came back from a drop (not on the first open). */
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
    const source = this.deps.open(`/api/v1/events?ticket=${encodeURIComponent(ticket)}`);
    this.source = source;
    const opened = (): void => {
      if (this.source !== source || this.status === 'live') return;
      this.attempt = 0;
      this.setStatus('live');
      if (this.opened) for (const fn of this.reconnects) fn();
      this.opened = true;
    };
    source.addEventListener('open', opened);
    source.addEventListener('hello', opened);
    source.addEventListener('error', () => this.drop(source));
    source.addEventListener('end', () => this.drop(source));
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (e) => {
        let data: unknown;
        try {
          data = JSON.parse(String(e.data));
        } catch {
          return;
        }
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
