import pino from 'pino';
import { Profile as ProfileSchema, loadBuiltinProfiles } from '@edgefleet/device-profiles';
import type { Profile } from '@edgefleet/device-profiles';
import { SimDevice, SimUnit, createModel } from '@edgefleet/firmware-sim';
import type { Bus, Device, ManagedConfig } from '@edgefleet/protocol';
import type { NewEvent, NewReading } from '../../src/outbox/outbox-types.js';
import type { ActiveAlarmsStore } from '../../src/alarms/active-alarms-store.js';
import { MemoryLimitsStore } from '../../src/poller/limits-store.js';
import type { LimitsStore } from '../../src/poller/limits-store.js';
import { Poller } from '../../src/poller/poller.js';
import { ClockedTransport } from '../scheduler/clocked-transport.js';
import { FakeClock } from '../scheduler/fake-clock.js';
import { SimUnitTransport } from '../support/sim-unit-transport.js';

export const PROFILES: ReadonlyMap<string, Profile> = new Map(loadBuiltinProfiles().map((p) => [p.id, p]));

export function builtin(id: string): Profile {
  const p = PROFILES.get(id);
  if (p === undefined) throw new Error(`no built-in profile ${id}`);
  return p;
}

export interface SimSpec {
  id: string;
  unit: number;
  /** What the gateway believes. */
  profile: Profile;
  /** What the simulated device really does (read caps, holes); default the same profile. */
  simProfile?: Profile;
  poll?: Device['poll'];
}

export const POLLING: ManagedConfig['polling'] = {
  fast: '1s', normal: '5s', slow: '20s', snapshot: '1m', offlineAfter: 3, maxProbeInterval: '8s',
};

/**
 * A gateway poller on one RTU bus of simulated devices, all on a fake clock: the transport
 * hands request PDUs to firmware-sim units and takes `latencyMs` of fake time per transaction.
 */
export function createFixture(specs: SimSpec[], opts: { polling?: Partial<ManagedConfig['polling']>; busDownWindowMs?: number; store?: LimitsStore; alarmStore?: ActiveAlarmsStore } = {}) {
  const clock = new FakeClock();
  const units = new Map<number, SimUnit>();
  const devices = new Map<string, SimDevice>();
  specs.forEach((s, i) => {
    const unit = new SimUnit({ unit: s.unit, profile: s.simProfile ?? s.profile });
    units.set(s.unit, unit);
    devices.set(s.id, new SimDevice({ id: s.id, unit, model: createModel(unit.profile, 100 + i) }));
  });
  for (const d of devices.values()) d.step(clock.now());
  const sim = new SimUnitTransport('line-1', (u) => units.get(u));
  const transport = new ClockedTransport('line-1', 'rtu', clock, (u, t, a, c) => sim.read(u, t, a, c));
  const bus: Bus = { id: 'line-1', kind: 'rtu', path: '/dev/fake', baud: 115200, parity: 'even', dataBits: 8, stopBits: 1, timeout: '200ms', gap: '0ms' };
  const profiles = new Map(specs.map((s) => [s.profile.id, s.profile]));
  const telemetry: NewReading[] = [];
  const events: NewEvent[] = [];
  const store = new MemoryLimitsStore();
  const poller = new Poller(
    {
      buses: [bus],
      devices: specs.map((s) => ({ id: s.id, bus: bus.id, unit: s.unit, profile: s.profile.id, enabled: true, ...(s.poll ? { poll: s.poll } : {}) })),
      polling: { ...POLLING, ...opts.polling },
    },
    {
      logger: pino({ level: 'silent' }),
      sinks: { telemetry: (r) => telemetry.push(...r), events: (e) => events.push(...e) },
      transport: () => transport,
      profile: (id) => profiles.get(id) ?? builtin(id),
      limitsStore: opts.store ?? store,
      ...(opts.alarmStore ? { alarmStore: opts.alarmStore } : {}),
      clock,
      busClock: clock,
      random: () => 0.5,
      ...(opts.busDownWindowMs !== undefined ? { busDownWindowMs: opts.busDownWindowMs } : {}),
    },
  );
  return { clock, units, devices, transport, poller, telemetry, events, store };
}

/** A profile copy with transport fields replaced (a device that behaves unlike its datasheet). */
export function withTransport(profile: Profile, transport: Partial<Profile['transport']>): Profile {
  return { ...profile, transport: { ...profile.transport, ...transport } };
}

/** 30 contiguous registers, a gap at 30..33, 4 more, and `ghost` at 60 that the real device lacks. */
export function quirky(transport: Record<string, unknown>, id = 'quirky'): Profile {
  const addresses = [...Array.from({ length: 30 }, (_, i) => i), 34, 35, 36, 37, 60];
  return ProfileSchema.parse({
    version: 1, id, vendor: 'Test', model: 'Quirky', family: 'generic', source: 'test fixture',
    transport: { maxGap: 8, responseTimeout: '200ms', ...transport },
    points: addresses.map((a) => ({ id: a === 60 ? 'ghost' : `p${a}`, name: `P${a}`, table: 'holding', address: a, type: 'uint16', poll: 'fast' })),
  });
}

