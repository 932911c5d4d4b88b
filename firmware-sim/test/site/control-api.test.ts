import ModbusRTU from 'modbus-serial';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { buildControlApi } from '../../src/site/control-api.js';
import { SiteConfig } from '../../src/site/site-config.js';
import { SimSite } from '../../src/site/site.js';

const registry = new ProfileRegistry(loadBuiltinProfiles());
let site: SimSite;
let api: ReturnType<typeof buildControlApi>;
let clock = 1_700_000_000_000;

beforeAll(async () => {
  const config = SiteConfig.parse({
    name: 'control api test',
    transports: [{ id: 'tcp-a', kind: 'tcp', port: 0 }],
    devices: [
      { id: 'cab-1', profile: 'semaforo-tsc-8', transport: 'tcp-a', unit: 5 },
      { id: 'park-1', profile: 'parksense-pgc-128', transport: 'tcp-a', unit: 1 },
    ],
  });
  site = await SimSite.start(config, { profile: (id) => registry.get(id), autoTick: false, now: () => clock });
  api = buildControlApi(site);
});

afterAll(async () => {
  await api.close();
  await site.stop();
});

async function withClient<T>(unit: number, fn: (c: InstanceType<typeof ModbusRTU.default>) => Promise<T>): Promise<T> {
  const endpoint = site.endpoints()[0];
  if (endpoint?.kind !== 'tcp') throw new Error('expected a tcp endpoint');
  const client = new ModbusRTU.default();
  await client.connectTCP(endpoint.host, { port: endpoint.port });
  client.setID(unit);
  client.setTimeout(300);
  try {
    return await fn(client);
  } finally {
    await new Promise<void>((resolve) => client.close(() => resolve()));
  }
}

describe('sim control API', () => {
  it('lists the site, its endpoints and devices', async () => {
    const res = await api.inject({ method: 'GET', url: '/site' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ endpoints: { kind: string; port: number }[]; devices: { id: string; family: string }[] }>();
    expect(body.endpoints[0]?.kind).toBe('tcp');
    expect(body.endpoints[0]?.port).toBeGreaterThan(0);
    expect(body.devices.map((d) => [d.id, d.family])).toEqual([
      ['cab-1', 'signal-cabinet'],
      ['park-1', 'parking'],
    ]);
  });

  it('returns ground truth values that match what a master reads', async () => {
    const truth = (await api.inject({ method: 'GET', url: '/devices/park-1' })).json<{ values: Record<string, unknown> }>();
    expect(typeof truth.values['free-count']).toBe('number');
    const profile = registry.get('parksense-pgc-128');
    const point = profile.points.find((p) => p.id === 'free-count')!;
    const address = point.address - profile.transport.base;
    const read = await withClient(1, (c) => (point.table === 'input' ? c.readInputRegisters(address, 1) : c.readHoldingRegisters(address, 1)));
    expect(read.data[0]).toBe(truth.values['free-count']);
  });

  it('injects and clears a bus fault that a master sees', async () => {
    const inject = await api.inject({ method: 'POST', url: '/devices/cab-1/faults', payload: { fault: 'exception', params: { code: 2 } } });
    expect(inject.statusCode).toBe(201);
    expect(inject.json<{ active: string[] }>().active).toContain('exception');
    const failure = await withClient(5, (c) => c.readHoldingRegisters(0, 1).then(() => undefined, (e: unknown) => e));
    expect((failure as { modbusCode?: number }).modbusCode).toBe(2);

    const cleared = await api.inject({ method: 'DELETE', url: '/devices/cab-1/faults/exception' });
    expect(cleared.json<{ active: string[] }>().active).not.toContain('exception');
    const ok = await withClient(5, (c) => c.readHoldingRegisters(0, 1));
    expect(ok.data).toHaveLength(1);
  });

  it('lists available faults, bus-level and family-level', async () => {
    const res = await api.inject({ method: 'GET', url: '/devices/cab-1/faults' });
    const body = res.json<{ available: Record<string, string>; active: string[] }>();
    expect(Object.keys(body.available)).toEqual(expect.arrayContaining(['timeout', 'corrupt-crc', 'garbage', 'word-swap', 'reboot']));
    expect(Object.keys(body.available).length).toBeGreaterThan(8);
  });

  it('clears every fault at once', async () => {
    await api.inject({ method: 'POST', url: '/devices/park-1/faults', payload: { fault: 'slow', params: { ms: 50 } } });
    await api.inject({ method: 'POST', url: '/devices/park-1/faults', payload: { fault: 'garbage' } });
    expect(site.truth('park-1').faults).toEqual(expect.arrayContaining(['slow', 'garbage']));
    const res = await api.inject({ method: 'DELETE', url: '/devices/park-1/faults' });
    expect(res.json<{ active: string[] }>().active).toEqual([]);
  });

  it.each([
    ['an unknown device', 'GET', '/devices/nope', undefined, 404, 'SITE_UNKNOWN_DEVICE'],
    ['an unknown fault', 'POST', '/devices/cab-1/faults', { fault: 'gremlins' }, 400, 'SITE_UNKNOWN_FAULT'],
    ['a bad exception code', 'POST', '/devices/cab-1/faults', { fault: 'exception', params: { code: 99 } }, 400, 'SITE_BAD_FAULT_PARAMS'],
    ['a body without a fault', 'POST', '/devices/cab-1/faults', { params: {} }, 400, 'SITE_BAD_REQUEST'],
  ] as const)('answers %s with a coded error', async (_name, method, url, payload, status, code) => {
    const res = await api.inject({ method, url, ...(payload ? { payload } : {}) });
    expect(res.statusCode).toBe(status);
    expect(res.json<{ error: { code: string } }>().error.code).toBe(code);
  });

  it('advances device models when stepped', async () => {
    const before = site.truth('cab-1').values['cycle-second'];
    clock += 3_000;
    site.step();
    expect(site.truth('cab-1').values['cycle-second']).not.toEqual(before);
  });
});
