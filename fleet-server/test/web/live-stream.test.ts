// The dashboard's live stream client with a stand-in ticket request and EventSource: tickets,
// event fan-out, backoff after drops, resuming from the last event id (no reload) or one reload
// after a `reset` or a reconnect without an id.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveStream } from '../../web/src/live/live-stream.js';

class FakeEventSource {
  static all: FakeEventSource[] = [];
  closed = false;
  /** EventSource's last event ID buffer: set by a frame's `id:`, kept for frames without one. */
  private lastEventId = '';
  private readonly listeners = new Map<string, ((e: { data?: string; lastEventId?: string }) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  addEventListener(type: string, fn: (e: { data?: string; lastEventId?: string }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close(): void {
    this.closed = true;
  }
  emit(type: string, data?: unknown, id?: string): void {
    if (id !== undefined) this.lastEventId = id;
    const lastEventId = this.lastEventId;
    for (const fn of this.listeners.get(type) ?? []) fn(data === undefined ? { lastEventId } : { data: JSON.stringify(data), lastEventId });
  }
}

let tickets = 0;
let ticketStatus = 200;

beforeEach(() => {
  vi.useFakeTimers();
  FakeEventSource.all = [];
  tickets = 0;
  ticketStatus = 200;
});

function stream(): LiveStream {
  return new LiveStream({
    ticket: async () => {
      tickets++;
      if (ticketStatus !== 200) throw new Error(`HTTP ${ticketStatus}`);
      return `t${tickets}`;
    },
    open: (url) => new FakeEventSource(url),
  });
}

afterEach(() => {
  vi.useRealTimers();
});

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await vi.advanceTimersByTimeAsync(0);
};

describe('live stream client', () => {
  it('opens with a ticket, fans out events, and after a drop backs off, reconnects and asks for one reload', async () => {
    const s = stream();
    const events: unknown[] = [];
    const statuses: string[] = [];
    let reloads = 0;
    s.onEvent((e) => events.push(e));
    s.onStatus((st) => statuses.push(st));
    s.onReconnect(() => reloads++);
    s.start();
    await settle();
    const first = FakeEventSource.all[0]!;
    expect(first.url).toBe('/api/v1/events?ticket=t1');
    first.emit('hello', {});
    expect(s.status).toBe('live');
    first.emit('alert', { change: 'raised', site: 'north', alert: { id: 7 } });
    expect(events).toEqual([{ type: 'alert', data: { change: 'raised', site: 'north', alert: { id: 7 } } }]);
    expect(reloads).toBe(0);

    first.emit('end', { reason: 'ticket expired' });
    expect(first.closed).toBe(true);
    expect(s.status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeEventSource.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    const second = FakeEventSource.all[1]!;
    expect(second.url).toBe('/api/v1/events?ticket=t2');
    second.emit('open');
    expect(s.status).toBe('live');
    expect(reloads).toBe(1);
    expect(statuses).toEqual(['live', 'reconnecting', 'live']);
    s.stop();
  });

  it('waits 1 s, 2 s, 4 s … between failed attempts and resets after a good open', async () => {
    ticketStatus = 500;
    const s = stream();
    s.start();
    await settle();
    expect(tickets).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(tickets).toBe(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(tickets).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(tickets).toBe(3);
    ticketStatus = 200;
    await vi.advanceTimersByTimeAsync(4000);
    await settle();
    expect(tickets).toBe(4);
    FakeEventSource.all[0]!.emit('hello', {});
    FakeEventSource.all[0]!.emit('error');
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(tickets).toBe(5);
    s.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tickets).toBe(5);
  });

  it('drops a ticket asked for before a stop when started again meanwhile (sign out, sign in): one stream only', async () => {
    const asked: ((ticket: string) => void)[] = [];
    const s = new LiveStream({
      ticket: () => new Promise<string>((resolve) => asked.push(resolve)),
      open: (url) => new FakeEventSource(url),
    });
    const events: unknown[] = [];
    s.onEvent((e) => events.push(e));
    s.start();
    s.stop();
    s.start();
    expect(asked).toHaveLength(2);
    asked[0]!('old');
    asked[1]!('new');
    await settle();
    expect(FakeEventSource.all.map((f) => f.url)).toEqual(['/api/v1/events?ticket=new']);
    FakeEventSource.all[0]!.emit('alert', { change: 'raised', site: 'north', alert: { id: 1 } });
    expect(events).toHaveLength(1);
    s.stop();
    expect(FakeEventSource.all.every((f) => f.closed)).toBe(true);
  });

  it('reconnects with the last event id and reloads nothing when the server replays; reloads once on `reset`', async () => {
    const s = stream();
    const events: unknown[] = [];
    let reloads = 0;
    s.onEvent((e) => events.push(e));
    s.onReconnect(() => reloads++);
    s.start();
    await settle();
    const first = FakeEventSource.all[0]!;
    first.emit('open');
    first.emit('hello', {}, 'b007-4');
    first.emit('alert', { change: 'raised', site: 'north', alert: { id: 1 } }, 'b007-5');
    // A frame without an id keeps the last one (EventSource's buffer).
    first.emit('error');
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    const second = FakeEventSource.all[1]!;
    expect(second.url).toBe('/api/v1/events?ticket=t2&lastEventId=b007-5');
    second.emit('open');
    second.emit('hello', {}, 'b007-5');
    second.emit('alert', { change: 'acknowledged', site: 'north', alert: { id: 1 } }, 'b007-6');
    expect(s.status).toBe('live');
    expect(reloads).toBe(0);
    expect(events).toHaveLength(2);

    second.emit('end', { reason: 'server stopping' });
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    const third = FakeEventSource.all[2]!;
    expect(third.url).toBe('/api/v1/events?ticket=t3&lastEventId=b007-6');
    third.emit('open');
    third.emit('hello', {});
    expect(reloads).toBe(0);
    third.emit('reset', { reason: 'unknown event id (the server restarted)' }, 'c0ffee-0');
    expect(reloads).toBe(1);
    third.emit('error');
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(FakeEventSource.all[3]!.url).toBe('/api/v1/events?ticket=t4&lastEventId=c0ffee-0');
    s.stop();
  });

  it("takes the server's position from heartbeats, so a quiet view resumes from near the head", async () => {
    const s = stream();
    const events: unknown[] = [];
    s.onEvent((e) => events.push(e));
    s.start();
    await settle();
    const first = FakeEventSource.all[0]!;
    first.emit('open');
    first.emit('hello', {}, 'b007-4');
    // Other sites were busy: 36 events this viewer may not see went by, then a heartbeat.
    first.emit('heartbeat', {}, 'b007-40');
    first.emit('error');
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(FakeEventSource.all[1]!.url).toBe('/api/v1/events?ticket=t2&lastEventId=b007-40');
    expect(events).toEqual([]);
    s.stop();
  });

  it('forgets the last event id on stop: a new start opens afresh and reloads as after any drop', async () => {
    const s = stream();
    let reloads = 0;
    s.onReconnect(() => reloads++);
    s.start();
    await settle();
    FakeEventSource.all[0]!.emit('hello', {}, 'b007-9');
    s.stop();
    s.start();
    await settle();
    const next = FakeEventSource.all[1]!;
    expect(next.url).toBe('/api/v1/events?ticket=t2');
    next.emit('hello', {}, 'b007-9');
    expect(reloads).toBe(1);
    s.stop();
  });
});
