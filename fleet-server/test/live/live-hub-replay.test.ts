// LiveHub's replay at the hand-over and its resume window, over a real HTTP server on port 0
// (the hub writes to real responses; a real SSE client reads them) without the rest of the server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent, LiveViewer } from '../../src/live/live-event.js';
import { LiveHub } from '../../src/live/live-hub.js';
import type { LiveHubOptions } from '../../src/live/live-hub.js';
import { SseClient } from '../api/sse-client.js';

const VIEWER: LiveViewer = { userId: 'eng', tokenId: 'tok', role: 'engineer', sites: [] };
const alert = (n: number): LiveEvent => ({ name: 'alert', site: 'north', audience: 'any', data: { site: 'north', n } });

interface Harness {
  hub: LiveHub;
  clock: { now: number };
  /** Opens a stream, read up to its hello. */
  open(lastEventId?: string): Promise<SseClient>;
  /** Resolves when the server has seen every stream opened so far close. */
  allClosed(): Promise<void>;
  /** Called with the response of the next stream before the hub takes it over. */
  onNextResponse?: (res: http.ServerResponse) => void;
  close(): Promise<void>;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(options: Partial<Pick<LiveHubOptions, 'ring' | 'heartbeatMs'>> = {}, viewer: LiveViewer = VIEWER): Promise<Harness> {
  const clock = { now: 1_000_000 };
  const hub = new LiveHub({ isTokenLive: async () => true, logger: pino({ level: 'silent' }), now: () => clock.now, ...options });
  const closes: Promise<void>[] = [];
  const clients: SseClient[] = [];
  const server = http.createServer((req, res) => {
    closes.push(new Promise((resolve) => res.once('close', () => resolve())));
    res.writeHead(200, { 'content-type': 'text/event-stream', connection: 'close' });
    const hook = self.onNextResponse;
    self.onNextResponse = undefined;
    hook?.(res);
    const lastEventId = new URL(req.url ?? '/', 'http://x').searchParams.get('lastEventId') ?? undefined;
    hub.open(viewer, res, { hello: {}, lastEventId });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const self: Harness = {
    hub, clock,
    async open(lastEventId) {
      const query = lastEventId === undefined ? '' : `?lastEventId=${encodeURIComponent(lastEventId)}`;
      const stream = (await SseClient.open(`http://127.0.0.1:${port}/events${query}`)) as SseClient;
      clients.push(stream);
      await stream.next('hello');
      return stream;
    },
    allClosed: async () => {
      await Promise.all(closes);
    },
    async close() {
      for (const c of clients) c.close();
      hub.close('test over');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // An aborted fetch may leave its socket to the keep-alive pool: not a reason to wait.
      server.closeAllConnections();
      await closed;
    },
  };
  return self;
}

/** Lets the hub's publishLater chain run: a later build runs only after the earlier ones were published. */
const drained = (hub: LiveHub): Promise<void> => new Promise((resolve) => hub.publishLater(async () => {
  resolve();
  return [];
}));

describe('LiveHub replay', () => {
  it('sends an event published while the replay is being written once, after the replayed ones', async () => {
    h = await harness();
    const first = await h.open();
    const seen = first.lastEventId;
    first.close();
    for (let n = 1; n <= 3; n++) h.hub.publish(alert(n));
    // The first replayed frame written makes a new event appear mid-replay.
    h.onNextResponse = (res) => {
      const write = res.write.bind(res) as (chunk: string) => boolean;
      let published = false;
      res.write = ((chunk: string) => {
        const ok = write(chunk);
        if (!published && chunk.includes('event: alert')) {
          published = true;
          h!.hub.publish(alert(4));
        }
        return ok;
      }) as typeof res.write;
    };
    const again = await h.open(seen);
    await again.next('alert', (d) => d.n === 4);
    h.hub.publish(alert(5));
    await again.next('alert', (d) => d.n === 5);
    expect(again.events.filter((e) => e.event === 'alert').map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3, 4, 5]);
    const ids = again.events.filter((e) => e.event === 'alert').map((e) => Number(e.id?.split('-')[1]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it("moves a quiet viewer's position with each heartbeat, so busy other sites do not push it out of the ring", async () => {
    const manager: LiveViewer = { userId: 'mona', tokenId: 'tok-m', role: 'manager', sites: ['south'] };
    const south = (n: number): LiveEvent => ({ name: 'alert', site: 'south', audience: 'any', data: { site: 'south', n } });
    h = await harness({ ring: { maxEvents: 5, maxAgeMs: 60_000, maxBytes: 1 << 20 }, heartbeatMs: 20 }, manager);
    h.hub.start();
    const first = await h.open();
    // Ten events of a site she may not see: more than the ring holds.
    for (let n = 1; n <= 10; n++) h.hub.publish(alert(n));
    await first.next('heartbeat', () => first.lastEventId.endsWith('-10'));
    const resumeFrom = first.lastEventId;
    first.close();
    await h.allClosed();
    h.hub.publish(south(11));
    const back = await h.open(resumeFrom);
    expect(await back.next('alert')).toEqual({ site: 'south', n: 11 });
    // Resumed, not reset: the ten other-site events are long gone from the ring.
    expect(back.events.map((e) => e.event).filter((name) => name !== 'heartbeat')).toEqual(['hello', 'alert']);
  });

  it('keeps building events for a page that may come back within the ring\'s age, and forgets them after', async () => {
    h = await harness();
    const first = await h.open();
    const seen = first.lastEventId;
    first.close();
    await h.allClosed();
    expect(h.hub.size).toBe(0);
    // Nobody is connected, but the page left just now: the event is built and kept.
    h.hub.publishLater(async () => [alert(1)]);
    await drained(h.hub);
    const back = await h.open(seen);
    await back.next('alert', (d) => d.n === 1);
    expect(back.events.map((e) => e.event)).toEqual(['hello', 'alert']);
    const resumeFrom = back.lastEventId;
    back.close();
    await h.allClosed();

    // Five minutes and a moment later nobody can resume: the change is not even built, and an id
    // from before it gets a reset rather than a replay with a hole.
    // (Had it been built, even after the stream opened, the page would have resumed instead.)
    h.clock.now += 5 * 60_000 + 1;
    h.hub.publishLater(async () => [alert(2)]);
    const late = await h.open(resumeFrom);
    expect(await late.next('reset')).toEqual({ reason: 'missed events no longer kept' });
  });
});
