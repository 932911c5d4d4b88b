// Reconnecting to GET /api/v1/events with the last event id: a real server on port 0, real
// gateways over MQTT, real SSE clients. The replay must equal what an always-connected stream
// of the same scope got meanwhile: same events, same order, nothing twice, nothing skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RING_LIMITS } from '../../src/live/live-ring.js';
import { startApiServer, START_TIME } from '../api/api-helpers.js';
import type { ApiTestServer } from '../api/api-helpers.js';
import { ActingGateway } from '../api/downlink-fixtures.js';
import { SseClient } from '../api/sse-client.js';

let t: ApiTestServer;
let gwA: ActingGateway;
let gwB: ActingGateway;
const tokens: Record<string, string> = {};
const streams: SseClient[] = [];
let marks = 0;

beforeAll(async () => {
  t = await startApiServer();
  tokens.root = t.adminToken;
  tokens.eng = await t.userToken({ id: 'eng', role: 'engineer' });
  tokens.mona = await t.userToken({ id: 'mona', role: 'manager', sites: ['north'] });
  tokens.sam = await t.userToken({ id: 'sam', role: 'manager', sites: ['south'] });
  gwA = await ActingGateway.connect(t.server.brokerPort, 'gw-a');
  gwB = await ActingGateway.connect(t.server.brokerPort, 'gw-b');
});
afterAll(async () => {
  for (const s of streams) s.close();
  await gwA?.close();
  await gwB?.close();
  await t?.cleanup();
});

/** A ticket, then the stream (with `lastEventId` in the query, or the given headers), read up to its hello. */
async function open(server: ApiTestServer, token: string, lastEventId?: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const ticket = await server.call<{ ticket: string }>('POST', '/events/ticket', token);
  const query = lastEventId === undefined ? '' : `&lastEventId=${encodeURIComponent(lastEventId)}`;
  const stream = await SseClient.open(`http://127.0.0.1:${server.server.httpPort}/api/v1/events?ticket=${ticket.body.ticket}${query}`, headers);
  if (!(stream instanceof SseClient)) throw new Error(`stream refused: ${stream.status} ${JSON.stringify(stream.body)}`);
  streams.push(stream);
  await stream.next('hello');
  return stream;
}

/**
 * A watcher that stays connected (root sees everything) and the id a `token` stream had seen
 * when it dropped: the state of a page that just lost its stream.
 */
async function dropped(token: string): Promise<{ root: SseClient; seen: string }> {
  const root = await open(t, tokens.root!);
  const first = await open(t, token);
  first.close();
  return { root, seen: first.lastEventId };
}

const alarm = (device: string) => ({
  type: 'alarm' as const, device, rule: 'door-fault', state: 'raise' as const, severity: 'major' as const, message: `door fault on ${device}`, ts: START_TIME, values: {},
});
/**
 * Raises a new alert on `gw` and waits until every stream in `on` has its `raised` event, so each
 * has everything before it too; returns that event's id, the end of a span to compare.
 */
async function mark(gw: ActingGateway, on: SseClient[]): Promise<string> {
  const device = `mark-${(marks += 1)}`;
  const isMark = (d: { change: string; alert: { device: string } }): boolean => d.change === 'raised' && d.alert.device === device;
  await gw.events([alarm(device)]);
  for (const s of on) await s.next('alert', isMark);
  return on[0]!.events.find((e) => e.event === 'alert' && isMark(e.data as Parameters<typeof isMark>[0]))!.id!;
}
const seqOf = (id: string | undefined): number => Number(id?.split('-')[1]);
/** The events with an id in (from, to] (changes, not hello, reset or heartbeats), as `id name site`. */
function span(stream: SseClient, from: string, to: string): string[] {
  return stream.events.filter((e) => !['hello', 'reset', 'heartbeat'].includes(e.event) && seqOf(e.id) > seqOf(from) && seqOf(e.id) <= seqOf(to))
    .map((e) => `${e.id} ${e.event} ${(e.data as { site: string }).site}`);
}
const idOf = (stream: SseClient, name: string): string | undefined => stream.events.find((e) => e.event === name)?.id;

describe('GET /api/v1/events with the last event id', () => {
  it('replays what a manager missed (her sites, no commands) in order, then carries on live', async () => {
    const { root, seen } = await dropped(tokens.mona!);
    expect(seen).toMatch(/^[0-9a-f]+-\d+$/);
    await gwA.events([alarm('lift-1')]);
    await gwB.events([alarm('lift-9')]);
    await t.store.upsertDevice({ gateway: 'gw-a', device: 'sig-1', profile: 'semaforo-tsc-8', name: 'Signal 1', location: null });
    expect((await t.call('POST', '/gateways/gw-a/commands', tokens.eng, { device: 'sig-1', command: 'set-flash' })).status).toBe(202);
    await gwA.events([alarm('lift-2')]);
    const missedTo = await mark(gwA, [root]);

    const again = await open(t, tokens.mona!, seen);
    expect(idOf(again, 'hello')).toBe(seen);
    const to = await mark(gwA, [root, again]);
    const missed = span(root, seen, missedTo).filter((line) => line.endsWith(' north') && !line.includes(' command '));
    // lift-1, lift-2 and the mark raised, at least.
    expect(missed.length).toBeGreaterThanOrEqual(3);
    expect(span(again, seen, missedTo)).toEqual(missed);
    expect(span(again, seen, to)).toEqual(span(root, seen, to).filter((line) => line.endsWith(' north') && !line.includes(' command ')));
    expect(again.events.map((e) => e.event)).not.toContain('reset');
    // Root saw the south alert and the command in the same span: they were left out, not lost.
    expect(span(root, seen, missedTo).some((line) => line.endsWith(' south'))).toBe(true);
    expect(span(root, seen, missedTo).some((line) => line.includes(' command '))).toBe(true);
    root.close();
    again.close();
  });

  it('honours the standard Last-Event-ID header, and does not compress the stream', async () => {
    const { root, seen } = await dropped(tokens.sam!);
    await mark(gwB, [root]);
    const again = await open(t, tokens.sam!, undefined, { 'last-event-id': seen, 'accept-encoding': 'gzip, deflate, br' });
    expect(again.headers.get('content-encoding')).toBeNull();
    const to = await mark(gwB, [root, again]);
    const south = span(root, seen, to).filter((line) => line.endsWith(' south'));
    expect(south.length).toBeGreaterThanOrEqual(2);
    expect(span(again, seen, to)).toEqual(south);
    root.close();
    again.close();
  });

  it('has no gap and no duplicate where the replay hands over to live events', async () => {
    const { root, seen } = await dropped(tokens.eng!);
    // Telemetry batches stored while the stream reopens: each is a values event, published before,
    // during or after the replay is written.
    const reading = (i: number) => ({ seq: 10_000 + i, device: 'lift-1', point: 'floor', ts: START_TIME + 10_000 + i, value: i, quality: 'good' });
    const batches = Array.from({ length: 40 }, (_, i) => gwA.publish('telemetry', { v: 1, gateway: 'gw-a', stream: 'telemetry', sentAt: START_TIME, items: [reading(i)] }));
    const again = await open(t, tokens.eng!, seen);
    await Promise.all(batches);
    const to = await mark(gwA, [root, again]);
    const replayed = span(again, seen, to);
    expect(replayed.filter((line) => line.includes(' values ')).length).toBe(40);
    // An engineer sees everything root sees.
    expect(replayed).toEqual(span(root, seen, to));
    expect(new Set(replayed).size).toBe(replayed.length);
    root.close();
    again.close();
  });

  it('pushes a gateway event only when its state changes', async () => {
    const root = await open(t, tokens.root!);
    const from = root.lastEventId;
    const status = (state: 'online' | 'offline', ts: number) => gwB.publish('status', { v: 1, gateway: 'gw-b', state, ts });
    await status('offline', START_TIME + 1);
    await status('offline', START_TIME + 2);
    await status('online', START_TIME + 3);
    // A config applied: the gateway says `online` again.
    await gwB.status({ version: 1 }, START_TIME + 4);
    const to = await mark(gwB, [root]);
    const gateway = root.events.filter((e) => e.event === 'gateway' && seqOf(e.id) > seqOf(from) && seqOf(e.id) <= seqOf(to));
    expect(gateway.map((e) => e.data)).toEqual([
      { gateway: 'gw-b', site: 'south', status: 'offline', at: START_TIME + 1 },
      { gateway: 'gw-b', site: 'south', status: 'online', at: START_TIME + 3 },
    ]);
    root.close();
  });

  it('says `reset` for an id of another server start, or garbage; the reset carries an id to resume from', async () => {
    const other = await startApiServer();
    try {
      const foreign = (await open(other, other.adminToken)).lastEventId;
      for (const id of [foreign, 'nonsense']) {
        const stream = await open(t, tokens.root!, id);
        expect(await stream.next('reset')).toEqual({ reason: 'unknown event id (the server restarted)' });
        expect(stream.events.map((e) => e.event).filter((name) => name !== 'heartbeat')).toEqual(['hello', 'reset']);
        expect(idOf(stream, 'hello')).toBeUndefined();
        const resetId = idOf(stream, 'reset')!;
        stream.close();
        const resumed = await open(t, tokens.root!, resetId);
        expect(idOf(resumed, 'hello')).toBe(resetId);
        await mark(gwA, [resumed]);
        expect(resumed.events.map((e) => e.event)).not.toContain('reset');
        resumed.close();
      }
    } finally {
      await other.cleanup();
    }
  });

  it('says `reset` when the missed events are older than the ring keeps', async () => {
    const { root, seen } = await dropped(tokens.mona!);
    await mark(gwA, [root]);
    t.clock.now += RING_LIMITS.maxAgeMs + 1;
    const late = await open(t, tokens.mona!, seen);
    expect(await late.next('reset')).toEqual({ reason: 'missed events no longer kept' });
    // An id from after the aged-out event still resumes: nothing after it is missing.
    const fresh = root.lastEventId;
    const resumed = await open(t, tokens.mona!, fresh);
    const to = await mark(gwA, [root, resumed]);
    expect(span(resumed, fresh, to)).toEqual(span(root, fresh, to).filter((line) => line.endsWith(' north')));
    root.close();
    late.close();
    resumed.close();
  });
});
