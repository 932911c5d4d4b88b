import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reading } from '@edgefleet/protocol';
import { connectGateway, countHandled, publishJson, telemetryBatch } from '../server/server-helpers.js';
import { START_TIME, startApiServer } from './api-helpers.js';
import type { ApiTestServer } from './api-helpers.js';

interface Raw { items: { ts: number; value: unknown; quality: string; seq: number }[]; from: number; to: number; truncated: boolean }
interface Rollup { items: { hour: number; count: number; min: number; max: number; avg: number; last: unknown; lastTs: number }[]; from: number }

const HOUR = 3_600_000;
const T8 = Date.parse('2026-11-28T08:00:00Z');
// 15 floor readings, every 10 min from 08:05 to 10:25 (the clock stands at 10:30), value = index.
const READINGS: Reading[] = Array.from({ length: 15 }, (_, i) => ({
  seq: i + 1, device: 'lift-1', point: 'floor', ts: T8 + 5 * 60_000 + i * 600_000, value: i, quality: 'good',
}));
const route = '/gateways/gw-a/devices/lift-1/telemetry';

let api: ApiTestServer;
let north: string;
let gw: MqttClient;
beforeAll(async () => {
  api = await startApiServer();
  north = await api.userToken({ id: 'mona', role: 'manager', sites: ['north'] });
  gw = await connectGateway(api.server.brokerPort, 'gw-a');
  const handled = countHandled(api.server);
  // Two batches, as a gateway draining its outbox would send them.
  await publishJson(gw, 'gw-a', 'telemetry', telemetryBatch('gw-a', READINGS.slice(0, 8)));
  await publishJson(gw, 'gw-a', 'telemetry', telemetryBatch('gw-a', READINGS.slice(8)));
  await handled.until(2);
});
afterAll(async () => {
  gw.end(true);
  await api.cleanup();
});

describe('GET /gateways/:id/devices/:device/telemetry', () => {
  it('returns the last hour of raw readings by default, oldest first', async () => {
    const reply = await api.call<Raw>('GET', `${route}?point=floor`, north);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ gateway: 'gw-a', device: 'lift-1', point: 'floor', mode: 'raw', from: START_TIME - HOUR, to: START_TIME, truncated: false });
    expect(reply.body.items.map((r) => r.value)).toEqual([9, 10, 11, 12, 13, 14]);
    expect(reply.body.items[0]).toEqual({ ts: T8 + 5 * 60_000 + 9 * 600_000, value: 9, quality: 'good', seq: 10 });
  });

  it('takes ISO and epoch-ms times, a from-only window of one hour, and a limit', async () => {
    const iso = await api.call<Raw>('GET', `${route}?point=floor&from=2026-11-28T08:00:00Z&to=2026-11-28T09:00:00%2B00:00`, north);
    expect(iso.body.items.map((r) => r.value)).toEqual([0, 1, 2, 3, 4, 5]);
    const fromOnly = await api.call<Raw>('GET', `${route}?point=floor&from=${T8 + HOUR}`, north);
    expect(fromOnly.body.to).toBe(T8 + 2 * HOUR);
    expect(fromOnly.body.items.map((r) => r.value)).toEqual([6, 7, 8, 9, 10, 11]);
    const limited = await api.call<Raw>('GET', `${route}?point=floor&from=${T8}&to=${START_TIME}&limit=4`, north);
    expect(limited.body.items.map((r) => r.value)).toEqual([0, 1, 2, 3]);
    expect(limited.body.truncated).toBe(true);
  });

  it('returns hourly rollups computed from the stored readings', async () => {
    expect(await api.store.rollupHours(T8, T8 + 3 * HOUR)).toBe(3);
    const reply = await api.call<Rollup>('GET', `${route}?point=floor&mode=rollup&from=${T8 + 30 * 60_000}&to=${T8 + 3 * HOUR}`, north);
    expect(reply.status).toBe(200);
    // from is rounded down to its hour: 08:00 still holds readings after 08:30.
    expect(reply.body.from).toBe(T8);
    expect(reply.body.items).toEqual([
      { hour: T8, count: 6, min: 0, max: 5, avg: 2.5, last: 5, lastTs: READINGS[5]?.ts },
      { hour: T8 + HOUR, count: 6, min: 6, max: 11, avg: 8.5, last: 11, lastTs: READINGS[11]?.ts },
      { hour: T8 + 2 * HOUR, count: 3, min: 12, max: 14, avg: 13, last: 14, lastTs: READINGS[14]?.ts },
    ]);
    // Default rollup window: the last 24 h.
    const fallback = await api.call<Rollup>('GET', `${route}?point=floor&mode=rollup`, north);
    expect(fallback.body.items.map((r) => r.count)).toEqual([6, 6, 3]);
  });

  it('answers an unknown point or device with no items', async () => {
    const reply = await api.call<Raw>('GET', `${route}?point=speed&from=${T8}&to=${START_TIME}`, north);
    expect(reply.status).toBe(200);
    expect(reply.body.items).toEqual([]);
  });

  it.each([
    ['', 'query.point'],
    ['?point=floor&from=1700000000000&to=1700000000000', 'query.to'],
    ['?point=floor&from=2026-11-28T11:00:00Z&to=2026-11-28T10:00:00Z', 'query.to'],
    ['?point=floor&from=yesterday', 'query.from'],
    ['?point=floor&to=2026-11-28T10:00:00', 'query.to'],
    ['?point=floor&mode=avg', 'query.mode'],
    ['?point=floor&limit=100001', 'query.limit'],
    ['?point=floor&limit=abc', 'query.limit'],
    ['?point=floor&colour=red', 'query'],
  ])('rejects %s naming %s', async (query, field) => {
    const reply = await api.call('GET', `${route}${query}`, north);
    expect(reply.status).toBe(400);
    expect(reply.body.error?.code).toBe('INVALID_REQUEST');
    expect(reply.body.error?.message.startsWith(`${field}:`)).toBe(true);
  });
});
