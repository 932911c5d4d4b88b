import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileRegistry, loadBuiltinProfiles } from '@edgefleet/device-profiles';
import type { Reading, WireValue } from '@edgefleet/protocol';
import { ParkingModel } from '@edgefleet/firmware-sim';
import { connectGateway, countHandled, publishJson, telemetryBatch } from '../server/server-helpers.js';
import type { HandledCounter, TestGateway } from '../server/server-helpers.js';
import { startApiServer } from './api-helpers.js';
import type { ApiTestServer } from './api-helpers.js';

interface Zone { gateway: string; device: string; free: number | null; occupied: number | null; capacity: number | null; faultySensors: number | null; source: string | null; ts: number | null; quality: string | null; stale: boolean }
interface CarParks { site: string; total: { free: number; capacity: number; zones: number; staleZones: number }; items: Zone[] }

const parking = new ProfileRegistry(loadBuiltinProfiles()).get('parksense-pgc-128');
// What a gateway polls from a zone controller: the bay bits and the zone counters.
const POINTS = ['bay-occupied', 'bay-sensor-fault', 'free-count', 'occupied-count', 'bays-configured', 'faulty-sensors'];

let api: ApiTestServer;
let engineer: string;
let north: string;
const gateways: Partial<Record<TestGateway, MqttClient>> = {};
let handled: HandledCounter;
let published = 0;
const seqs: Record<string, number> = {};

/** Publishes the model's current values as one telemetry batch read at `ts` and waits until ingested. */
async function publishZone(gw: TestGateway, device: string, values: Record<string, WireValue>, ts: number, quality: Reading['quality'] = 'good'): Promise<void> {
  const items: Reading[] = Object.entries(values).map(([point, value]) => {
    seqs[gw] = (seqs[gw] ?? 0) + 1;
    return { seq: seqs[gw], device, point, ts, value: quality === 'comm-fail' ? null : value, quality };
  });
  const client = gateways[gw] ?? (gateways[gw] = await connectGateway(api.server.brokerPort, gw));
  await publishJson(client, gw, 'telemetry', telemetryBatch(gw, items));
  published += 1;
  await handled.until(published);
}

function modelValues(model: ParkingModel): Record<string, WireValue> {
  const all = model.values();
  return Object.fromEntries(POINTS.map((p) => [p, all[p] as WireValue]));
}

beforeAll(async () => {
  api = await startApiServer();
  handled = countHandled(api.server);
  engineer = await api.userToken({ id: 'erin', role: 'engineer' });
  north = await api.userToken({ id: 'mona', role: 'manager', sites: ['north'] });
  for (const [gw, device] of [['gw-a', 'level-1'], ['gw-a', 'level-2'], ['gw-b', 'deck-1']]) {
    const put = await api.call('PUT', `/gateways/${gw}/devices/${device}`, engineer, { profile: parking.id, name: device });
    expect(put.status).toBe(200);
  }
  // A lift on the same gateway is not a car park.
  await api.call('PUT', '/gateways/gw-a/devices/lift-1', engineer, { profile: 'liftronic-lmi-200' });
});
afterAll(async () => {
  for (const client of Object.values(gateways)) client.end(true);
  await api.cleanup();
});

describe('GET /sites/:id/car-parks', () => {
  it('reports each zone controller of the site with the free count the simulated controller reported', async () => {
    const model = new ParkingModel(parking, 7);
    model.step(api.clock.now - 3_600_000);
    model.step(api.clock.now - 2_000);
    const values = modelValues(model);
    await publishZone('gw-a', 'level-1', values, api.clock.now - 2_000);
    await publishZone('gw-b', 'deck-1', modelValues(new ParkingModel(parking, 8)), api.clock.now - 2_000);

    const reply = await api.call<CarParks>('GET', '/sites/north/car-parks', north);
    expect(reply.status).toBe(200);
    expect(reply.body.items.map((z) => z.device)).toEqual(['level-1', 'level-2']);
    const [level1, level2] = reply.body.items;
    expect(level1).toMatchObject({
      gateway: 'gw-a', free: values['free-count'], occupied: values['occupied-count'], capacity: 128, faultySensors: 0,
      source: 'free-count', ts: api.clock.now - 2_000, quality: 'good', stale: false,
    });
    // The zone's free count matches its own bay bits.
    expect((values['bay-occupied'] as boolean[]).filter((b) => !b)).toHaveLength(values['free-count'] as number);
    // A zone that never reported is listed, and visibly without data.
    expect(level2).toMatchObject({ free: null, ts: null, quality: null, stale: true });
    expect(reply.body.total).toEqual({ free: values['free-count'], capacity: 128, zones: 2, staleZones: 1 });
  });

  it('shows faulty bay sensors, which make the free count unreliable', async () => {
    const model = new ParkingModel(parking, 11);
    model.step(api.clock.now - 1_000);
    model.injectFault('sensor-faults', { count: 5 });
    model.step(api.clock.now);
    await publishZone('gw-a', 'level-2', modelValues(model), api.clock.now - 500);
    const reply = await api.call<CarParks>('GET', '/sites/north/car-parks', north);
    expect(reply.body.items.find((z) => z.device === 'level-2')).toMatchObject({ faultySensors: 5, stale: false });
  });

  it('flags a zone stale once its newest count is older than maxAge, and a comm-fail count as stale', async () => {
    api.clock.now += 10 * 60_000;
    const fresh = await api.call<CarParks>('GET', '/sites/north/car-parks', north);
    expect(fresh.body.total.staleZones).toBe(0);
    const strict = await api.call<CarParks>('GET', '/sites/north/car-parks?maxAge=300', north);
    expect(strict.body.total.staleZones).toBe(2);
    expect(strict.body.items[0]?.free).not.toBeNull();

    await publishZone('gw-a', 'level-1', { 'free-count': 0, 'bay-occupied': [] }, api.clock.now - 1_000, 'comm-fail');
    const failed = await api.call<CarParks>('GET', '/sites/north/car-parks', north);
    expect(failed.body.items[0]).toMatchObject({ device: 'level-1', quality: 'comm-fail', free: null, stale: true });
    expect((await api.call('GET', '/sites/north/car-parks?maxAge=0', north)).body.error?.message).toMatch(/^query\.maxAge: /);
  });

  it("answers a manager 404 for another site's car parks; engineers see every site", async () => {
    expect((await api.call('GET', '/sites/south/car-parks', north)).status).toBe(404);
    const south = await api.call<CarParks>('GET', '/sites/south/car-parks', engineer);
    expect(south.body.items.map((z) => [z.gateway, z.device])).toEqual([['gw-b', 'deck-1']]);
    expect(south.body.items[0]?.free).toEqual(expect.any(Number));
  });
});
