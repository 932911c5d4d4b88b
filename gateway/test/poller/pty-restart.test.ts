import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { SimDevice, SimUnit, createModel, createPtyPair, startRtuServer } from '@edgefleet/firmware-sim';
import type { PtyPair, RtuSimServer } from '@edgefleet/firmware-sim';
import type { Bus } from '@edgefleet/protocol';
import { RtuTransport } from '../../src/modbus/rtu-transport.js';
import { MemoryLimitsStore } from '../../src/poller/limits-store.js';
import { Poller } from '../../src/poller/poller.js';
import { builtin } from './poller-fixture.js';
import { Collector } from './sim-gateway.js';

const lift = builtin('liftronic-lmi-200');
const meter = builtin('aquametrix-um50');
const BAUD = 115200;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the serial line disappears and comes back', () => {
  it('reports the bus down and comm-fail once, then resumes polling without a restart', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-pty-restart-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const units = new Map([[1, new SimUnit({ unit: 1, profile: lift })], [2, new SimUnit({ unit: 2, profile: meter })]]);
    for (const u of units.values()) new SimDevice({ id: `sim-${u.unit}`, unit: u, model: createModel(u.profile, u.unit) }).step(1_700_000_000_000);
    let pty: PtyPair | undefined;
    let server: RtuSimServer | undefined;
    const lineUp = async (): Promise<void> => {
      pty = await createPtyPair(dir);
      server = await startRtuServer({ path: pty.slavePath, baud: BAUD, turnaroundMs: 1, units: (u) => units.get(u) });
    };
    const lineDown = async (): Promise<void> => {
      await server?.close();
      await pty?.close();
      server = undefined;
      pty = undefined;
    };
    await lineUp();
    cleanups.push(lineDown);

    // The loss is seen by the presence check and rejects calls in flight at once; the response
    // timeout only fires when this process is starved, and then adds a comm-fail to the exact counts below.
    const bus: Bus = { id: 'rs485', kind: 'rtu', path: path.join(dir, 'master'), baud: BAUD, parity: 'none', dataBits: 8, stopBits: 2, timeout: '2s', gap: '0ms' };
    const transport = new RtuTransport({
      busId: bus.id, path: bus.path, baud: BAUD, parity: 'none', dataBits: 8, stopBits: 2, presenceCheckMs: 50, backoff: { initialMs: 50, maxMs: 300, jitter: 0.2 },
    });
    await transport.open();
    cleanups.push(() => transport.close());
    const collector = new Collector();
    const poller = new Poller(
      {
        buses: [bus],
        devices: [
          { id: 'lift', bus: bus.id, unit: 1, profile: lift.id, enabled: true },
          { id: 'meter', bus: bus.id, unit: 2, profile: meter.id, enabled: true },
        ],
        polling: { fast: '100ms', normal: '200ms', slow: '300ms', snapshot: '15m', offlineAfter: 3, maxProbeInterval: '5m' },
      },
      {
        logger: pino({ level: 'silent' }),
        sinks: { telemetry: (r) => collector.push(r, undefined), events: (e) => collector.push(undefined, e) },
        transport: () => transport,
        profile: (id) => (id === lift.id ? lift : meter),
        limitsStore: new MemoryLimitsStore(),
      },
    );
    await poller.start();
    cleanups.push(() => poller.stop());
    const goodSince = (device: string, point: string, t: number) => collector.telemetry.some((r) => r.device === device && r.point === point && r.quality === 'good' && r.ts >= t);
    await collector.until(() => goodSince('lift', 'floor', 0) && goodSince('meter', 'flow-rate', 0));

    await lineDown();
    const downAt = Date.now();
    const busEvents = () => collector.events.filter((e) => e.type === 'bus').map((e) => (e as { state: string }).state);
    const commFail = (device: string, point: string) => collector.telemetry.some((r) => r.device === device && r.point === point && r.quality === 'comm-fail');
    // Wait until both breakers are open (then every point, slow ones too, is comm-fail) and probing backs off.
    await collector.until(() => busEvents().includes('down') && commFail('lift', 'trips') && commFail('meter', 'total-volume'));
    expect(poller.deviceHealth().map((h) => h.state)).toEqual(['offline', 'offline']);

    await lineUp();
    const upAt = Date.now();
    await collector.until(() => goodSince('lift', 'floor', upAt) && goodSince('meter', 'flow-rate', upAt));
    const resumedMs = Date.now() - upAt;
    console.log(`line down ${upAt - downAt} ms; polling resumed ${resumedMs} ms after the line came back`);
    expect(resumedMs).toBeLessThan(10_000);
    expect(busEvents()).toEqual(['down', 'up']);
    // No device-offline noise for what was a bus outage.
    expect(collector.events.filter((e) => e.type === 'device')).toEqual([]);
    // The gap shows as one comm-fail per point, between the good readings.
    const floor = collector.telemetry.filter((r) => r.device === 'lift' && r.point === 'floor').map((r) => r.quality);
    expect(floor.filter((q) => q === 'comm-fail')).toHaveLength(1);
    expect(floor.at(-1)).toBe('good');
  }, 30_000);
});
