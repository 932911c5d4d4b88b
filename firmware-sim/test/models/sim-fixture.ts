import { decodePoint, loadBuiltinProfiles, pointSpan, protocolAddress } from '@edgefleet/device-profiles';
import type { Point, PointValue, Profile } from '@edgefleet/device-profiles';
import { SimDevice } from '../../src/device/sim-device.js';
import { createModel } from '../../src/models/index.js';
import { SimUnit } from '../../src/unit/sim-unit.js';

export const ELEVATOR = 'liftronic-lmi-200';
export const PARKING = 'parksense-pgc-128';
export const WATER = 'aquametrix-um50';
export const CABINET = 'semaforo-tsc-8';

/** 2024-01-15 00:00 UTC, a Monday: tests pick hours from here. */
export const MIDNIGHT = Date.UTC(2024, 0, 15);
export const HOUR = 3_600_000;

const profiles = new Map(loadBuiltinProfiles().map((p) => [p.id, p]));

export function builtinProfile(id: string): Profile {
  const profile = profiles.get(id);
  if (!profile) throw new Error(`no built-in profile ${id}`);
  return profile;
}

export function pointOf(profile: Profile, id: string): Point {
  const point = profile.points.find((p) => p.id === id);
  if (!point) throw new Error(`${profile.id} has no point ${id}`);
  return point;
}

/** A device of a built-in profile, stepped once at `start` so its clock is set. */
export function simDevice(profileId: string, seed = 1, start = MIDNIGHT + 10 * HOUR): { device: SimDevice; unit: SimUnit; profile: Profile; now: number } {
  const profile = builtinProfile(profileId);
  const unit = new SimUnit({ unit: 1, profile });
  const device = new SimDevice({ id: `${profileId}-test`, unit, model: createModel(profile, seed), seed });
  device.step(start);
  return { device, unit, profile, now: start };
}

/**
 * Steps a device from `from` for `durationMs` in `tickMs` ticks, calling `each` with the truth
 * after every tick. Returns the end time.
 */
export function run(
  device: SimDevice,
  from: number,
  durationMs: number,
  tickMs: number,
  each?: (values: Record<string, PointValue>, now: number) => void,
): number {
  let now = from;
  while (now < from + durationMs) {
    now += tickMs;
    device.step(now);
    each?.(device.truth().values, now);
  }
  return now;
}

/** Decodes a point straight from the unit's register bank, as a master reading it would. */
export function readPoint(unit: SimUnit, id: string): PointValue {
  const point = pointOf(unit.profile, id);
  const address = protocolAddress(point, unit.profile.transport);
  const span = pointSpan(point);
  const raw = point.table === 'holding' || point.table === 'input'
    ? unit.bank.getWords(point.table, address, span)
    : unit.bank.getBits(point.table, address, span);
  return decodePoint(point, raw, unit.profile.transport);
}

/** The label of an enum value as decoded (raw number). */
export function label(profile: Profile, pointId: string, value: PointValue | undefined): string | undefined {
  return pointOf(profile, pointId).enum?.[String(value)];
}

/** A master's FC06 (holding) or FC05 (coil) write, through the unit's PDU handler. */
export function masterWrite(unit: SimUnit, pointId: string, raw: number): Buffer | undefined {
  const point = pointOf(unit.profile, pointId);
  const address = protocolAddress(point, unit.profile.transport);
  const pdu = Buffer.alloc(5);
  if (point.table === 'coil') {
    pdu[0] = 5;
    pdu.writeUInt16BE(address, 1);
    // Modbus App Protocol v1.1b3 §6.5: 0xFF00 = ON, 0x0000 = OFF.
    pdu.writeUInt16BE(raw ? 0xff00 : 0, 3);
  } else {
    pdu[0] = 6;
    pdu.writeUInt16BE(address, 1);
    pdu.writeUInt16BE(raw, 3);
  }
  return unit.handle(pdu).pdu;
}

/** Raw value of an enum label of a point. */
export function rawOf(profile: Profile, pointId: string, labelText: string): number {
  const entry = Object.entries(pointOf(profile, pointId).enum ?? {}).find(([, name]) => name === labelText);
  if (!entry) throw new Error(`${pointId} has no label ${labelText}`);
  return Number(entry[0]);
}
