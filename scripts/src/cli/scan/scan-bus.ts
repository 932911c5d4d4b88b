import type { Profile } from '@edgefleet/device-profiles';
import type { RawBus } from '../bus/raw-bus.js';
import { exceptionCode, readRegistersPdu } from '../bus/raw-bus.js';
import { identifyUnit } from './identify-unit.js';
import type { UnitIdentification } from './identify-unit.js';

export interface ScannedUnit extends UnitIdentification {
  unit: number;
  /** Exception code of the probe reply, when the unit answered it with one (still present). */
  probeException?: number;
}

export type ProbeResult = 'present' | 'absent' | 'garbled';

export interface ScanProgress {
  done: number;
  total: number;
  found: number;
  unit: number;
  /** e.g. "19200 even" while --baud auto tries settings. */
  phase?: string;
}

/** Modbus TCP gateway exceptions (App Protocol v1.1b3 §7: 0x0A path unavailable, 0x0B target failed to respond): nobody there. */
const GATEWAY_NO_TARGET = new Set([0x0a, 0x0b]);
/** The probe: FC03, one register at 0. Any reply, an exception too, means a device has that id. */
const PROBE = readRegistersPdu(3, 0, 1);

/** One probe of one unit id. */
export async function probeUnit(bus: RawBus, unit: number, timeoutMs: number): Promise<{ result: ProbeResult; exception?: number }> {
  const reply = await bus.request(unit, PROBE, timeoutMs);
  if (reply.kind === 'timeout') return { result: 'absent' };
  if (reply.kind === 'garbled') return { result: 'garbled' };
  const exception = exceptionCode(reply.pdu);
  if (bus.kind === 'tcp' && exception !== undefined && GATEWAY_NO_TARGET.has(exception)) return { result: 'absent' };
  return exception === undefined ? { result: 'present' } : { result: 'present', exception };
}

export interface ScanOptions {
  units: readonly number[];
  probeTimeoutMs: number;
  identifyTimeoutMs: number;
  profiles: readonly Profile[];
  onProgress?: (progress: ScanProgress) => void;
}

export interface ScanOutcome {
  units: ScannedUnit[];
  /** Ids whose probe drew bytes that formed no valid reply: wrong line settings, or two devices on one id. */
  garbled: number[];
}

/** Probes each id in order; each unit that answers is identified before the next id is probed. */
export async function scanBus(bus: RawBus, opts: ScanOptions, already: ScanOutcome = { units: [], garbled: [] }): Promise<ScanOutcome> {
  const outcome: ScanOutcome = { units: [...already.units], garbled: [...already.garbled] };
  const total = opts.units.length;
  for (const [index, unit] of opts.units.entries()) {
    const probe = await probeUnit(bus, unit, opts.probeTimeoutMs);
    if (probe.result === 'garbled') outcome.garbled.push(unit);
    if (probe.result === 'present') outcome.units.push(await identify(bus, unit, opts, probe.exception));
    opts.onProgress?.({ done: index + 1, total, found: outcome.units.length, unit });
  }
  await recheckLateUnits(bus, opts, outcome);
  return outcome;
}

/**
 * A unit whose reply arrived after the probe's timeout (a slow device, a busy host) is there:
 * probe it again with the identification timeout rather than report it missing.
 */
async function recheckLateUnits(bus: RawBus, opts: ScanOptions, outcome: ScanOutcome): Promise<void> {
  const late = [...bus.lateUnits].filter((u) => opts.units.includes(u) && !outcome.units.some((found) => found.unit === u));
  for (const unit of late) {
    const probe = await probeUnit(bus, unit, opts.identifyTimeoutMs);
    if (probe.result === 'present') outcome.units.push(await identify(bus, unit, opts, probe.exception));
  }
  outcome.units.sort((a, b) => a.unit - b.unit);
}

export async function identify(bus: RawBus, unit: number, opts: ScanOptions, probeException?: number): Promise<ScannedUnit> {
  const found = await identifyUnit(bus, unit, opts.profiles, opts.identifyTimeoutMs);
  return { unit, ...(probeException === undefined ? {} : { probeException }), ...found };
}
