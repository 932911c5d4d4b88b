import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ModbusRTU from 'modbus-serial';
import { decodePoint, pointSpan, protocolAddress } from '@edgefleet/device-profiles';
import type { PointValue, Profile } from '@edgefleet/device-profiles';
import { SimDevice } from '../../src/device/sim-device.js';
import { createModel } from '../../src/models/index.js';
import { startTcpServer } from '../../src/transport/tcp-server.js';
import type { TcpSimServer } from '../../src/transport/tcp-server.js';
import { SimUnit } from '../../src/unit/sim-unit.js';
import { CABINET, ELEVATOR, MIDNIGHT, HOUR, PARKING, WATER, builtinProfile, pointOf, rawOf } from './sim-fixture.js';

type Client = InstanceType<typeof ModbusRTU.default>;

interface Rig {
  device: SimDevice;
  profile: Profile;
  unitId: number;
  now: number;
}

const rigs = new Map<string, Rig>();
let server: TcpSimServer;
let client: Client;

beforeAll(async () => {
  const units = new Map<number, SimUnit>();
  [ELEVATOR, PARKING, WATER, CABINET].forEach((id, i) => {
    const profile = builtinProfile(id);
    const unit = new SimUnit({ unit: i + 1, profile });
    units.set(i + 1, unit);
    const device = new SimDevice({ id, unit, model: createModel(profile, 100 + i), seed: 100 + i });
    const now = MIDNIGHT + 11 * HOUR;
    device.step(now);
    rigs.set(id, { device, profile, unitId: i + 1, now });
  });
  server = await startTcpServer({ port: 0, units: (id) => units.get(id) });
  client = new ModbusRTU.default();
  await client.connectTCP('127.0.0.1', { port: server.port });
  client.setTimeout(1000);
});

afterAll(async () => {
  await new Promise<void>((resolve) => (client.isOpen ? client.close(() => resolve()) : resolve()));
  await server.close();
});

function rig(id: string): Rig {
  const r = rigs.get(id);
  if (!r) throw new Error(`no rig ${id}`);
  return r;
}

/** Advances a device's model in 100 ms ticks, as the site's timer would. */
function advance(r: Rig, ms: number): void {
  for (const end = r.now + ms; r.now < end; ) {
    r.now += 100;
    r.device.step(r.now);
  }
}

/** Reads one point over Modbus TCP with the FC of its table and decodes it as a gateway would. */
async function read(r: Rig, pointId: string): Promise<PointValue> {
  const point = pointOf(r.profile, pointId);
  const address = protocolAddress(point, r.profile.transport);
  const span = pointSpan(point);
  client.setID(r.unitId);
  let raw: number[];
  if (point.table === 'holding') raw = (await client.readHoldingRegisters(address, span)).data;
  else if (point.table === 'input') raw = (await client.readInputRegisters(address, span)).data;
  else {
    const res = point.table === 'coil' ? await client.readCoils(address, span) : await client.readDiscreteInputs(address, span);
    raw = res.data.slice(0, span).map((b) => (b ? 1 : 0));
  }
  return decodePoint(point, raw, r.profile.transport);
}

const setBits = (bits: PointValue): number => (bits as boolean[]).filter(Boolean).length;

describe('injected faults show up in the registers a master reads over Modbus TCP', () => {
  it('elevator: door open while moving, entrapment, word-swapped counters, reboot', async () => {
    const r = rig(ELEVATOR);
    const { device, profile } = r;
    advance(r, 10 * 60_000);
    device.injectFault('door-open-while-moving');
    for (let i = 0; i < 1200 && device.truth().values.moving !== true; i++) advance(r, 100);
    expect(await read(r, 'moving')).toBe(true);
    expect(await read(r, 'door-state')).toBe(rawOf(profile, 'door-state', 'open'));
    device.clearFault('door-open-while-moving');

    device.injectFault('entrapment');
    advance(r, 1000);
    expect(await read(r, 'levelled')).toBe(false);
    expect(await read(r, 'alarm-button')).toBe(true);
    expect(await read(r, 'door-state')).toBe(rawOf(profile, 'door-state', 'closed'));
    device.clearFault('entrapment');

    const trips = await read(r, 'trips');
    expect(trips).toBe(device.truth().values.trips);
    expect(trips as number).toBeGreaterThan(0);
    device.injectFault('word-swap');
    // trips is uint32 low word first: swapped, the small count lands in the high word.
    expect(await read(r, 'trips')).toBe((trips as number) * 65536);
    device.clearFault('word-swap');
    expect(await read(r, 'trips')).toBe(trips);

    device.injectFault('reboot');
    expect(await read(r, 'trips')).toBe(0);
    expect(await read(r, 'door-cycles')).toBe(0);
  });

  it('parking: sensor faults, low supply, full, word-swapped counters and reboot', async () => {
    const r = rig(PARKING);
    const { device } = r;
    advance(r, 30 * 60_000);
    device.injectFault('sensor-faults', { count: 16 });
    device.injectFault('low-supply', { volts: 20 });
    expect(setBits(await read(r, 'bay-sensor-fault'))).toBe(16);
    expect(await read(r, 'faulty-sensors')).toBe(16);
    expect(await read(r, 'supply-voltage')).toBeCloseTo(20, 5);
    expect(((await read(r, 'status')) as boolean[])[2]).toBe(true);

    device.injectFault('full');
    advance(r, 5 * 60_000);
    // Every bay is taken, but the 16 faulty sensors report theirs free.
    expect(await read(r, 'free-count')).toBe(16);
    expect(setBits(await read(r, 'bay-occupied'))).toBe(128 - 16);

    const entries = await read(r, 'entry-count');
    expect(entries as number).toBeGreaterThan(0);
    device.injectFault('word-swap');
    expect(await read(r, 'entry-count')).toBe((entries as number) * 65536);
    device.clearFault('word-swap');
    device.injectFault('reboot');
    expect(await read(r, 'entry-count')).toBe(0);
    expect(await read(r, 'uptime')).toBe(0);
  });

  it('water meter: reverse flow reads negative, status bits, word-swapped float, counter backwards', async () => {
    const r = rig(WATER);
    const { device } = r;
    advance(r, 60_000);
    device.injectFault('reverse-flow', { rate: 2 });
    device.injectFault('tamper');
    advance(r, 2000);
    const flow = await read(r, 'flow-rate');
    expect(flow).toBeCloseTo(-2, 5);
    const status = (await read(r, 'status')) as boolean[];
    expect([status[1], status[2]]).toEqual([true, true]);

    device.injectFault('word-swap');
    const swapped = await read(r, 'flow-rate');
    expect(swapped).not.toBeCloseTo(-2, 1);
    device.clearFault('word-swap');

    const total = (await read(r, 'total-volume')) as number;
    device.injectFault('counter-backwards', { by: 10 });
    expect(await read(r, 'total-volume')).toBeCloseTo(total - 10, 6);
  });

  it('signal cabinet: conflict forces flash, on UPS, red lamp bit, and a flash command over TCP is obeyed', async () => {
    const r = rig(CABINET);
    const { device, profile } = r;
    advance(r, 5 * 60_000);
    expect(await read(r, 'mode')).toBe(rawOf(profile, 'mode', 'auto'));
    client.setID(r.unitId);
    await client.writeRegister(0, rawOf(profile, 'mode', 'flash'));
    expect(await read(r, 'mode')).toBe(rawOf(profile, 'mode', 'flash'));
    await client.writeRegister(0, rawOf(profile, 'mode', 'auto'));
    expect(await read(r, 'mode')).toBe(rawOf(profile, 'mode', 'auto'));

    device.injectFault('conflict-fault');
    device.injectFault('mains-failure');
    device.injectFault('red-lamp-failure', { group: 4 });
    advance(r, 1000);
    expect(await read(r, 'conflict-fault')).toBe(true);
    expect(await read(r, 'mode')).toBe(rawOf(profile, 'mode', 'flash'));
    expect(await read(r, 'on-ups')).toBe(true);
    expect(((await read(r, 'red-lamp-failure')) as boolean[])[3]).toBe(true);
    // The conflict monitor refuses a return to auto while it is tripped.
    await client.writeRegister(0, rawOf(profile, 'mode', 'auto'));
    expect(await read(r, 'mode')).toBe(rawOf(profile, 'mode', 'flash'));

    const cycles = await read(r, 'cycle-count');
    expect(cycles as number).toBeGreaterThan(0);
    device.injectFault('word-swap');
    expect(await read(r, 'cycle-count')).toBe((cycles as number) * 65536);
  });
});
