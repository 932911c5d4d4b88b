import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/api/issue-token.js';
import { SESSION_LABEL } from '../../src/api/session-routes.js';
import { startServer } from '../../src/main.js';
import type { RunningServer } from '../../src/main.js';
import type { ApiStore } from '../../src/store/store-api.js';
import type { Role } from '../../src/store/store-api-types.js';
import type { Store } from '../../src/store/store.js';
import { metricValue } from '../server/server-helpers.js';
import { makeConfig, START_TIME } from './api-helpers.js';
import { ActingGateway } from './downlink-fixtures.js';
import { SseClient } from './sse-client.js';

/** gw-a is on site north, gw-b on south (api-helpers makeConfig). */
const USERS: Record<string, { role: Role; sites: string[] }> = {
  root: { role: 'admin', sites: [] },
  eng: { role: 'engineer', sites: [] },
  mona: { role: 'manager', sites: ['north'] },
  sam: { role: 'manager', sites: ['south'] },
};

interface AlertData { change: string; site: string; alert: { id: number; gateway: string; device: string; state: string; acknowledgedBy: string | null } }
interface Live {
  server: RunningServer;
  store: Store & ApiStore;
  clock: { now: number };
  tokens: Record<string, string>;
  call(token: string | undefined, method: string, route: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> & { error?: { code: string; message: string } } }>;
  /** A ticket, then the stream, read up to its hello. */
  open(token: string): Promise<SseClient>;
  cleanup(): Promise<void>;
}

async function startLive(): Promise<Live> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-live-'));
  const clock = { now: START_TIME };
  // A short heartbeat so the token re-check is seen within a test; nothing waits for it by time.
  const server = await startServer(await makeConfig(dir), { logger: pino({ level: 'silent' }), now: () => clock.now, liveHeartbeatMs: 100 });
  const store = server.store as Store & ApiStore;
  const tokens: Record<string, string> = {};
  for (const [id, u] of Object.entries(USERS)) {
    await store.createUser({ id, name: `${id} name`, role: u.role, sites: u.sites, createdAt: clock.now });
    tokens[id] = (await issueToken(store, { userId: id, label: 'test', at: clock.now, expiresAt: null })).text;
  }
  const base = `http://127.0.0.1:${server.httpPort}/api/v1`;
  const call: Live['call'] = async (token, method, route, body) => {
    const res = await fetch(`${base}${route}`, {
      method,
      headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? {} : JSON.parse(text) };
  };
  return {
    server, store, clock, tokens, call,
    async open(token) {
      const ticket = await call(token, 'POST', '/events/ticket');
      expect(ticket.status).toBe(201);
      const stream = await SseClient.open(`${base}/events?ticket=${String(ticket.body.ticket)}`);
      if (!(stream instanceof SseClient)) throw new Error(`stream refused: ${stream.status} ${JSON.stringify(stream.body)}`);
      await stream.next('hello');
      return stream;
    },
    async cleanup() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const alarm = (device: string, rule: string) => ({
  type: 'alarm' as const, device, rule, state: 'raise' as const, severity: 'critical' as const, message: `${rule} on ${device}`, ts: START_TIME, values: {},
});

let t: Live;
let gwA: ActingGateway;
let gwB: ActingGateway;
const streams: SseClient[] = [];
const track = (s: SseClient): SseClient => {
  streams.push(s);
  return s;
};

beforeAll(async () => {
  t = await startLive();
  gwA = await ActingGateway.connect(t.server.brokerPort, 'gw-a');
  gwB = await ActingGateway.connect(t.server.brokerPort, 'gw-b');
});
afterAll(async () => {
  for (const s of streams) s.close();
  await gwA?.close();
  await gwB?.close();
  await t?.cleanup();
});

describe('GET /api/v1/events (live events over SSE)', () => {
  it("greets with the user and a reconnect delay, and heartbeats with the hub's position", async () => {
    const ticket = await t.call(t.tokens.mona, 'POST', '/events/ticket');
    expect(ticket.body.expiresAt).toBe(t.clock.now + 30_000);
    const stream = track((await SseClient.open(`http://127.0.0.1:${t.server.httpPort}/api/v1/events?ticket=${String(ticket.body.ticket)}`)) as SseClient);
    expect(stream.status).toBe(200);
    expect(await stream.next('hello')).toEqual({ user: { id: 'mona', name: 'mona name', role: 'manager', sites: ['north'] }, at: t.clock.now });
    expect(stream.events[0]?.event).toBe('hello');
    expect(stream.retry).toBe(3000);
    const [boot, helloSeq] = stream.lastEventId.split('-');
    expect(await stream.next('heartbeat')).toEqual({});
    // The heartbeat names the hub's position: this server start, at or past where hello began.
    const [beatBoot, beatSeq] = (stream.events.find((e) => e.event === 'heartbeat')?.id ?? '').split('-');
    expect(beatBoot).toBe(boot);
    expect(Number(beatSeq)).toBeGreaterThanOrEqual(Number(helloSeq));
    stream.close();
  });

  it('pushes alerts to the sites\' viewers only; an API ack names the user', async () => {
    const [root, mona, sam] = [track(await t.open(t.tokens.root!)), track(await t.open(t.tokens.mona!)), track(await t.open(t.tokens.sam!))];
    await gwA.events([alarm('lift-1', 'entrapment')]);
    const raised = await root.next<AlertData>('alert', (d) => d.change === 'raised' && d.alert.gateway === 'gw-a');
    expect(raised).toMatchObject({ site: 'north', alert: { device: 'lift-1', state: 'raised', acknowledgedBy: null } });
    expect((await mona.next<AlertData>('alert')).alert.id).toBe(raised.alert.id);

    await gwB.events([alarm('lift-9', 'door-fault')]);
    const south = await sam.next<AlertData>('alert');
    // Events leave in order: the first alert sam sees being south's means north's never reached sam.
    expect(south).toMatchObject({ change: 'raised', site: 'south', alert: { gateway: 'gw-b' } });

    expect((await t.call(t.tokens.mona, 'POST', `/alerts/${raised.alert.id}/ack`)).status).toBe(200);
    const acked = await mona.next<AlertData>('alert');
    expect(acked).toMatchObject({ change: 'acknowledged', site: 'north', alert: { id: raised.alert.id, state: 'acknowledged', acknowledgedBy: 'user:mona' } });
    expect((await root.next<AlertData>('alert', (d) => d.change === 'acknowledged')).alert.acknowledgedBy).toBe('user:mona');
    // Likewise mona's next alert after hers is her own ack: south's raise came in between and was not sent to her.
    expect(mona.events.filter((e) => e.event === 'alert').map((e) => (e.data as AlertData).site)).toEqual(['north', 'north']);
    expect(sam.events.filter((e) => e.event === 'alert').map((e) => (e.data as AlertData).site)).toEqual(['south']);
    for (const s of [root, mona, sam]) s.close();
  });

  it('pushes gateway status changes and the newest new reading per point; duplicates are not repeated', async () => {
    const [root, sam] = [track(await t.open(t.tokens.root!)), track(await t.open(t.tokens.sam!))];
    await gwA.status(undefined, START_TIME + 5);
    expect(await root.next('gateway')).toEqual({ gateway: 'gw-a', site: 'north', status: 'online', at: START_TIME + 5 });
    const reading = (seq: number, point: string, value: number, ts: number) => ({ seq, device: 'lift-1', point, ts, value, quality: 'good' });
    const batch = { v: 1, gateway: 'gw-a', stream: 'telemetry', sentAt: START_TIME, items: [reading(1, 'floor', 3, START_TIME), reading(2, 'floor', 4, START_TIME + 1_000), reading(3, 'door', 1, START_TIME)] };
    await gwA.publish('telemetry', batch);
    expect(await root.next('values')).toEqual({
      gateway: 'gw-a', site: 'north', device: 'lift-1',
      values: [{ point: 'floor', value: 4, quality: 'good', ts: START_TIME + 1_000 }, { point: 'door', value: 1, quality: 'good', ts: START_TIME }],
    });
    await gwA.publish('telemetry', batch);
    await gwA.publish('telemetry', { ...batch, items: [reading(4, 'floor', 5, START_TIME + 2_000)] });
    // The next values event is the new reading: the re-sent batch produced none.
    expect((await root.next<{ values: { value: number }[] }>('values')).values).toEqual([{ point: 'floor', value: 5, quality: 'good', ts: START_TIME + 2_000 }]);
    // sam (south) saw none of gw-a's: a south change is the first thing to reach the stream.
    await gwB.status(undefined, START_TIME + 6);
    expect(await sam.next('gateway')).toMatchObject({ gateway: 'gw-b', site: 'south' });
    expect(sam.events.map((e) => e.event).filter((name) => name !== 'heartbeat')).toEqual(['hello', 'gateway']);
    root.close();
    sam.close();
  });

  it('pushes commands (created, then their result) to admins and engineers', async () => {
    const eng = track(await t.open(t.tokens.eng!));
    await t.store.upsertDevice({ gateway: 'gw-a', device: 'sig-1', profile: 'semaforo-tsc-8', name: 'Signal 1', location: null });
    const sent = await t.call(t.tokens.eng, 'POST', '/gateways/gw-a/commands', { device: 'sig-1', command: 'set-flash' });
    expect(sent.status).toBe(202);
    expect(await eng.next('command')).toMatchObject({ site: 'north', command: { id: sent.body.id, state: 'pending', createdBy: 'user:eng' } });
    const cmd = (await gwA.next('cmd')).body as { id: string };
    await gwA.result({ id: cmd.id, device: 'sig-1', status: 'ok', ts: START_TIME, readBack: { mode: 4 } });
    expect(await eng.next('command')).toMatchObject({ site: 'north', command: { id: cmd.id, state: 'ok', result: { readBack: { mode: 4 } } } });
    // A second result is ignored by the store, and so not reported; the next event is a new command's.
    await gwA.result({ id: cmd.id, device: 'sig-1', status: 'rejected', ts: START_TIME, reason: 'late' });
    const again = await t.call(t.tokens.eng, 'POST', '/gateways/gw-a/commands', { device: 'sig-1', command: 'set-flash' });
    expect(await eng.next('command')).toMatchObject({ command: { id: again.body.id, state: 'pending' } });
    eng.close();
  });

  it('refuses a missing, unknown, used or expired ticket with 401', async () => {
    const url = (ticket?: string) => `http://127.0.0.1:${t.server.httpPort}/api/v1/events${ticket === undefined ? '' : `?ticket=${ticket}`}`;
    const refused = async (ticket?: string) => {
      const reply = await SseClient.open(url(ticket));
      expect(reply).not.toBeInstanceOf(SseClient);
      return reply as { status: number; body: { error: { code: string } } };
    };
    expect(await refused()).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect(await refused('eft_nonsense')).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    const once = String((await t.call(t.tokens.root, 'POST', '/events/ticket')).body.ticket);
    const first = await SseClient.open(url(once));
    expect(first).toBeInstanceOf(SseClient);
    (first as SseClient).close();
    expect((await refused(once)).status).toBe(401);
    const stale = String((await t.call(t.tokens.root, 'POST', '/events/ticket')).body.ticket);
    t.clock.now += 30_001;
    expect((await refused(stale)).status).toBe(401);
    expect((await t.call(undefined, 'POST', '/events/ticket')).status).toBe(401);
  });

  it('refuses a fresh ticket whose token was revoked after it was issued', async () => {
    const issued = await issueToken(t.store, { userId: 'sam', label: 'tab', at: t.clock.now, expiresAt: null });
    const ticket = String((await t.call(issued.text, 'POST', '/events/ticket')).body.ticket);
    expect((await t.call(t.tokens.root, 'DELETE', `/tokens/${issued.token.id}`)).status).toBe(204);
    const reply = await SseClient.open(`http://127.0.0.1:${t.server.httpPort}/api/v1/events?ticket=${ticket}`);
    expect(reply).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
  });

  it('ends the stream with `end` when its token is revoked (API) or expires (heartbeat re-check)', async () => {
    const issued = await issueToken(t.store, { userId: 'mona', label: 'tab', at: t.clock.now, expiresAt: null });
    const stream = track(await t.open(issued.text));
    expect((await t.call(t.tokens.root, 'DELETE', `/tokens/${issued.token.id}`)).status).toBe(204);
    expect(await stream.next('end')).toEqual({ reason: 'token revoked' });
    await stream.closed;

    const shortLived = await issueToken(t.store, { userId: 'mona', label: 'tab', at: t.clock.now, expiresAt: t.clock.now + 60_000 });
    const expiring = track(await t.open(shortLived.text));
    t.clock.now += 60_000;
    expect((await expiring.next<{ reason: string }>('end')).reason).toMatch(/expired/);
    await expiring.closed;
  });

  it('ends the streams of a user\'s dashboard sign-ins when an admin resets the password', async () => {
    const signIn = await issueToken(t.store, { userId: 'mona', label: SESSION_LABEL, at: t.clock.now, expiresAt: t.clock.now + 60_000 });
    const stream = track(await t.open(signIn.text));
    expect((await t.call(t.tokens.root, 'PUT', '/users/mona/password', { password: 'reset by the admin' })).status).toBe(204);
    expect(await stream.next('end')).toEqual({ reason: 'token revoked' });
    await stream.closed;
  });

  it('caps streams per user (429) and reports open streams on /metrics', async () => {
    const open: SseClient[] = [];
    for (let i = 0; i < 20; i++) open.push(track(await t.open(t.tokens.eng!)));
    const metrics = await (await fetch(`http://127.0.0.1:${t.server.httpPort}/metrics`)).text();
    expect(metricValue(metrics, 'edgefleet_live_streams', {})).toBeGreaterThanOrEqual(20);
    const ticket = String((await t.call(t.tokens.eng, 'POST', '/events/ticket')).body.ticket);
    const refused = await SseClient.open(`http://127.0.0.1:${t.server.httpPort}/api/v1/events?ticket=${ticket}`);
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } });
    expect((refused as { headers: Headers }).headers.get('retry-after')).toBe('3');
    // Another user is not affected by eng's cap.
    track(await t.open(t.tokens.root!)).close();
    for (const s of open) s.close();
    await Promise.all(open.map((s) => s.closed));
  });
});

describe('a live client that stops reading', () => {
  it('is dropped once its socket buffer passes the limit, while the others keep receiving', async () => {
    const root = track(await t.open(t.tokens.root!));
    const ticket = String((await t.call(t.tokens.eng, 'POST', '/events/ticket')).body.ticket);
    // A raw client that sends its request and then never reads a byte.
    const slow = net.connect(t.server.httpPort, '127.0.0.1');
    slow.on('error', () => undefined);
    await new Promise<void>((resolve) => slow.once('connect', resolve));
    slow.pause();
    slow.write(`GET /api/v1/events?ticket=${ticket} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
    const openStreams = async (): Promise<number> =>
      metricValue(await (await fetch(`http://127.0.0.1:${t.server.httpPort}/metrics`)).text(), 'edgefleet_live_streams', {});
    // Until the server has taken the request and counted the stream (each check is an HTTP round-trip).
    while ((await openStreams()) < 2) await t.call(t.tokens.root, 'GET', '/me');
    // Values events of ~150 kB each (3000 points): loopback socket buffers absorb a few MB first,
    // then the server's buffer for the slow client grows past 1 MiB and it is dropped.
    const points = Array.from({ length: 3_000 }, (_, i) => `p${i}`);
    let seq = 1_000;
    let batches = 0;
    for (; batches < 200 && (await openStreams()) === 2; batches++) {
      const items = points.map((point) => ({ seq: (seq += 1), device: 'meter-9', point, ts: START_TIME + seq, value: seq, quality: 'good' }));
      await gwA.publish('telemetry', { v: 1, gateway: 'gw-a', stream: 'telemetry', sentAt: START_TIME, items });
      await root.next('values', (d) => d.device === 'meter-9');
    }
    expect(await openStreams()).toBe(1);
    expect(batches).toBeGreaterThan(0);
    // The reading client still gets what follows (a change of state: a repeated `online` sends nothing).
    await gwA.publish('status', { v: 1, gateway: 'gw-a', state: 'offline', ts: START_TIME + 9 });
    expect(await root.next('gateway')).toMatchObject({ gateway: 'gw-a', status: 'offline', at: START_TIME + 9 });
    slow.destroy();
    root.close();
    // Megabytes through loopback, all CPU: 1.2 s in a full run, 10.2 s in one with 2 busy loops.
  }, 60_000);
});

/** Stream events are never timed by the clock; the stop must not wait for the keep-alive or a heartbeat either. */
describe('server stop with a live stream open', () => {
  it('ends the stream with `end` and stops at once', async () => {
    const own = await startLive();
    try {
      const stream = await own.open(own.tokens.root!);
      // A stream never ends by itself: stop() resolving within the test's timeout is the assertion.
      await own.server.stop();
      expect(await stream.next('end')).toEqual({ reason: 'server stopping' });
      await stream.closed;
    } finally {
      await own.cleanup();
    }
  });
});
