import pino from 'pino';
import type { Profile } from '@edgefleet/device-profiles';
import { SimSite, SiteConfig } from '@edgefleet/firmware-sim';
import type { Bus, Device, ManagedConfig } from '@edgefleet/protocol';
import type { ModbusTransport } from '../../src/modbus/modbus-transport.js';
import { RtuTransport } from '../../src/modbus/rtu-transport.js';
import { TcpTransport } from '../../src/modbus/tcp-transport.js';
import type { NewEvent, NewReading } from '../../src/outbox/outbox-types.js';
import { MemoryLimitsStore } from '../../src/poller/limits-store.js';
import { Poller } from '../../src/poller/poller.js';
import { PROFILES } from './poller-fixture.js';

export interface SimGatewayDevice {
  id: string;
  unit: number;
  /** The gateway's profile. */
  profile: Profile;
  /** The simulator's profile id (default the gateway's). */
  simProfile?: string;
  /** Start without it in the gateway's config (to add it later with updateDevices). */
  absent?: boolean;
}

/** Waits until `check` holds, re-checking whenever the sinks receive something. */
export class Collector {
  readonly telemetry: NewReading[] = [];
  readonly events: NewEvent[] = [];
  #waiters: { check: () => boolean; resolve: () => void }[] = [];

  push(readings: NewReading[] | undefined, events: NewEvent[] | undefined): void {
    if (readings) this.telemetry.push(...readings);
    if (events) this.events.push(...events);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }

  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ check, resolve }));
  }
}

/**
 * firmware-sim devices behind a real Modbus TCP server or RTU PTY, polled by the real gateway
 * transports and Poller. The sim does not tick (autoTick false): register values stay put, so
 * decoded values can be compared with the sim's truth.
 */
export async function startSimGateway(opts: {
  kind: 'tcp' | 'rtu';
  devices: SimGatewayDevice[];
  polling?: Partial<ManagedConfig['polling']>;
  baud?: number;
  turnaround?: string;
  timeout?: string;
  extraProfiles?: Profile[];
}) {
  const profiles = new Map([...PROFILES, ...(opts.extraProfiles ?? []).map((p) => [p.id, p] as const)]);
  const resolve = (id: string): Profile => {
    const p = profiles.get(id);
    if (!p) throw new Error(`unknown profile ${id}`);
    return p;
  };
  const baud = opts.baud ?? 115200;
  const site = await SimSite.start(
    SiteConfig.parse({
      name: 'gateway-test',
      transports: [opts.kind === 'tcp' ? { id: 'sim', kind: 'tcp' } : { id: 'sim', kind: 'rtu', baud, turnaround: opts.turnaround ?? '2ms' }],
      devices: opts.devices.map((d) => ({ id: d.id, profile: d.simProfile ?? d.profile.id, transport: 'sim', unit: d.unit })),
    }),
    { profile: resolve, autoTick: false, now: () => 1_700_000_000_000 },
  );
  const endpoint = site.endpoints()[0]!;
  // The sim answers every read (data, an exception or an injected fault) well within a few ms, so a
  // response timeout here only fires when this process or socat is starved, as 200 ms (RTU) did
  // under a CI-like load (547a3ad; 500 ms for TCP is as thin). Tests of silence pass a short one.
  const timeout = opts.timeout ?? '2s';
  let bus: Bus;
  let transport: ModbusTransport;
  if (endpoint.kind === 'tcp') {
    bus = { id: 'bus-1', kind: 'tcp', host: endpoint.host, port: endpoint.port, timeout, maxConcurrent: 4 };
    transport = new TcpTransport({ busId: bus.id, host: endpoint.host, port: endpoint.port, maxConcurrent: 4 });
  } else {
    bus = { id: 'bus-1', kind: 'rtu', path: endpoint.masterPath!, baud, parity: 'none', dataBits: 8, stopBits: 2, timeout, gap: '0ms' };
    transport = new RtuTransport({ busId: bus.id, path: endpoint.masterPath!, baud, parity: 'none', dataBits: 8, stopBits: 2 });
  }
  await transport.open();
  const collector = new Collector();
  const toDevice = (d: SimGatewayDevice): Device => ({ id: d.id, bus: bus.id, unit: d.unit, profile: d.profile.id, enabled: true });
  const poller = new Poller(
    {
      buses: [bus],
      devices: opts.devices.filter((d) => !d.absent).map(toDevice),
      polling: { fast: '1s', normal: '2s', slow: '3s', snapshot: '15m', offlineAfter: 3, maxProbeInterval: '5m', ...opts.polling },
    },
    {
      logger: pino({ level: process.env.EDGEFLEET_TEST_LOG ?? 'silent' }),
      sinks: { telemetry: (r) => collector.push(r, undefined), events: (e) => collector.push(undefined, e) },
      transport: () => transport,
      profile: resolve,
      limitsStore: new MemoryLimitsStore(),
    },
  );
  const stop = async (): Promise<void> => {
    await poller.stop();
    await transport.close();
    await site.stop();
  };
  return { site, poller, transport, collector, bus, stop, toDevice };
}

/**
 * Resolves once `check` holds, looking every 10 ms: for state that changes without output
 * (report-by-exception sends nothing while values stand still). Rejects after `limitMs`.
 */
export function waitFor(check: () => boolean, limitMs = 20_000): Promise<void> {
  const deadline = performance.now() + limitMs;
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (check()) {
        clearInterval(timer);
        resolve();
      } else if (performance.now() > deadline) {
        clearInterval(timer);
        reject(new Error(`waitFor: condition still false after ${limitMs} ms`));
      }
    }, 10);
  });
}

/** Latest reading per point of one device. */
export function latestOf(readings: readonly NewReading[], device: string): Map<string, NewReading> {
  const out = new Map<string, NewReading>();
  for (const r of readings) if (r.device === device) out.set(r.point, r);
  return out;
}

/**
 * Latest good reading per point of one device: the last value read, whatever followed it. On a
 * loaded host the bus falls behind these tests' 50-500 ms intervals and the poller rightly marks
 * points stale between reads; with 4 devices the points were never all good at one instant
 * (poller-sim over RTU waited out its 30 s, no bus error, stale points only).
 */
export function latestGoodOf(readings: readonly NewReading[], device: string): Map<string, NewReading> {
  return latestOf(readings.filter((r) => r.quality === 'good'), device);
}
