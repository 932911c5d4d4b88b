import cron from 'node-cron';
import type { ProfileRegistry } from '../loader/registry.js';
import type { CheckIssue } from './check-issue.js';

/**
 * The parts of a gateway's managed config (protocol's ManagedConfig) the cross-checks read,
 * written structurally because this package imports nothing of ours.
 */
export interface ManagedConfigShape {
  buses: readonly ({ id: string; kind: 'rtu'; path: string } | { id: string; kind: 'tcp' })[];
  devices: readonly { id: string; bus: string; unit: number; profile: string; poll?: Partial<Record<'fast' | 'normal' | 'slow', string>> | undefined }[];
  schedules: readonly { id: string; cron: string; action: string; devices?: readonly string[] | undefined; points?: readonly string[] | undefined }[];
}

// Modbus over Serial Line v1.02 §2.2: 0 is broadcast, 1..247 unicast, 248..255 reserved.
const RTU_UNIT_MIN = 1;
const RTU_UNIT_MAX = 247;

/**
 * The checks a schema cannot express: references between buses, devices, profiles and
 * schedules, and uniqueness. One definition for the gateway (gateway.yaml and pushed configs)
 * and the fleet server (a desired config is refused before it is pushed), so a config the server
 * accepts is one the gateway will not reject on these grounds. Returns every issue, in config
 * order; [] means valid.
 */
export function checkManagedConfig(managed: ManagedConfigShape, registry: ProfileRegistry): CheckIssue[] {
  return [
    ...checkUniqueIds(managed.buses, 'buses', 'bus'),
    ...checkUniqueRtuPaths(managed),
    ...checkUniqueIds(managed.devices, 'devices', 'device'),
    ...checkDevices(managed, registry),
    ...checkUniqueIds(managed.schedules, 'schedules', 'schedule'),
    ...checkSchedules(managed, registry),
  ];
}

function checkUniqueIds(items: readonly { id: string }[], section: string, noun: string): CheckIssue[] {
  const firstIndex = new Map<string, number>();
  const issues: CheckIssue[] = [];
  items.forEach((item, i) => {
    const first = firstIndex.get(item.id);
    if (first === undefined) firstIndex.set(item.id, i);
    else issues.push({ path: [section, i, 'id'], message: `duplicate ${noun} id "${item.id}" (also ${section}[${first}])` });
  });
  return issues;
}

/** Two bus entries on one serial port would fight over it. */
function checkUniqueRtuPaths(managed: ManagedConfigShape): CheckIssue[] {
  const owner = new Map<string, string>();
  const issues: CheckIssue[] = [];
  managed.buses.forEach((bus, i) => {
    if (bus.kind !== 'rtu') return;
    const other = owner.get(bus.path);
    if (other !== undefined) issues.push({ path: ['buses', i, 'path'], message: `serial port ${bus.path} is already used by bus "${other}"` });
    else owner.set(bus.path, bus.id);
  });
  return issues;
}

function checkDevices(managed: ManagedConfigShape, registry: ProfileRegistry): CheckIssue[] {
  const buses = new Map(managed.buses.map((bus) => [bus.id, bus]));
  const unitOwner = new Map<string, string>();
  const issues: CheckIssue[] = [];
  managed.devices.forEach((device, i) => {
    const bus = buses.get(device.bus);
    if (!bus) {
      const known = [...buses.keys()].join(', ') || '(none)';
      issues.push({ path: ['devices', i, 'bus'], message: `unknown bus "${device.bus}"; buses: ${known}` });
    } else {
      if (bus.kind === 'rtu' && (device.unit < RTU_UNIT_MIN || device.unit > RTU_UNIT_MAX)) {
        issues.push({ path: ['devices', i, 'unit'], message: `unit ${device.unit} on RTU bus "${bus.id}": must be ${RTU_UNIT_MIN}..${RTU_UNIT_MAX} (0 is broadcast)` });
      }
      // One unit id answers once per bus: two devices with it would read each other's registers.
      const key = `${bus.id}\u0000${device.unit}`;
      const other = unitOwner.get(key);
      if (other !== undefined) issues.push({ path: ['devices', i, 'unit'], message: `unit ${device.unit} on bus "${bus.id}" is already device "${other}"` });
      else unitOwner.set(key, device.id);
    }
    if (!registry.has(device.profile)) {
      issues.push({ path: ['devices', i, 'profile'], message: `unknown profile "${device.profile}"; profiles: ${registry.ids().join(', ') || '(none)'}` });
    } else if (device.poll) {
      issues.push(...checkPollOverrides(device.poll, registry, device.profile, i));
    }
  });
  return issues;
}

/** An override for a poll class none of the profile's points uses is a mistake (or a stale config). */
function checkPollOverrides(poll: Record<string, unknown>, registry: ProfileRegistry, profileId: string, index: number): CheckIssue[] {
  const used = new Set(registry.get(profileId).points.map((point) => point.poll));
  return Object.entries(poll)
    .filter(([cls, value]) => value !== undefined && !used.has(cls as 'fast' | 'normal' | 'slow'))
    .map(([cls]) => ({
      path: ['devices', index, 'poll', cls],
      message: `profile "${profileId}" has no "${cls}" points; classes it uses: ${[...used].sort().join(', ')}`,
    }));
}

function checkSchedules(managed: ManagedConfigShape, registry: ProfileRegistry): CheckIssue[] {
  const devices = new Map(managed.devices.map((device) => [device.id, device]));
  const issues: CheckIssue[] = [];
  managed.schedules.forEach((schedule, i) => {
    if (!cron.validate(schedule.cron)) {
      issues.push({ path: ['schedules', i, 'cron'], message: `invalid cron expression "${schedule.cron}" (e.g. "0 0 * * *" daily at midnight)` });
    }
    if (schedule.action !== 'snapshot') {
      for (const key of ['devices', 'points'] as const) {
        if (schedule[key] !== undefined) issues.push({ path: ['schedules', i, key], message: `only a snapshot schedule takes ${key}` });
      }
      return;
    }
    const targets = schedule.devices ?? [...devices.keys()];
    schedule.devices?.forEach((id, j) => {
      if (!devices.has(id)) issues.push({ path: ['schedules', i, 'devices', j], message: `unknown device "${id}"` });
    });
    const points = new Set<string>();
    for (const id of targets) {
      const profileId = devices.get(id)?.profile;
      if (profileId !== undefined && registry.has(profileId)) registry.get(profileId).points.forEach((point) => points.add(point.id));
    }
    schedule.points?.forEach((id, j) => {
      if (!points.has(id)) issues.push({ path: ['schedules', i, 'points', j], message: `no device of this schedule has a point "${id}"` });
    });
  });
  return issues;
}
