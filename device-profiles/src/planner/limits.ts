import { isBitTable } from '../codec/index.js';
import type { Hole, Table, TransportDefaults } from '../schema/index.js';
import { PlanError } from './errors.js';

// Modbus App Protocol v1.1b3 §6.3 (FC03) and §6.4 (FC04): quantity of registers 1..125.
export const PROTOCOL_MAX_REGISTERS = 125;
// Modbus App Protocol v1.1b3 §6.1 (FC01) and §6.2 (FC02): quantity of coils/inputs 1..2000.
export const PROTOCOL_MAX_BITS = 2000;
/**
 * A register gap of N costs 2N response bytes; the same bytes carry 16N coils or inputs, so bit
 * tables may skip 16 times as many unused items for the same cost on the line.
 */
export const BITS_PER_GAP_REGISTER = 16;

export interface PlanLimits {
  maxRegisters: number;
  maxBits: number;
  maxGap: number;
  /** In the profile numbering, like transport.holes. */
  holes: Hole[];
}

/** Limits for one table, with holes already in 0-based protocol addresses. */
export interface TableLimits {
  maxItems: number;
  maxGap: number;
  holes: { from: number; to: number }[];
}

/**
 * Learned limits win where they are stricter: a lower max than the profile, and holes added to
 * the profile's. maxGap is taken as given (a gateway may learn that gap reads fail: maxGap 0).
 * Nothing ever exceeds the protocol limits.
 */
export function resolveLimits(transport: TransportDefaults, overrides: Partial<PlanLimits> = {}): PlanLimits {
  const limits: PlanLimits = {
    maxRegisters: Math.min(PROTOCOL_MAX_REGISTERS, transport.maxRegistersPerRead, overrides.maxRegisters ?? Infinity),
    maxBits: Math.min(PROTOCOL_MAX_BITS, transport.maxBitsPerRead, overrides.maxBits ?? Infinity),
    maxGap: overrides.maxGap ?? transport.maxGap,
    holes: [...transport.holes, ...(overrides.holes ?? [])],
  };
  for (const key of ['maxRegisters', 'maxBits'] as const) {
    if (!Number.isInteger(limits[key]) || limits[key] < 1) {
      throw new PlanError('LIMIT_INVALID', `${key} must be an integer of at least 1, got ${limits[key]}`);
    }
  }
  if (!Number.isInteger(limits.maxGap) || limits.maxGap < 0) {
    throw new PlanError('LIMIT_INVALID', `maxGap must be an integer of at least 0, got ${limits.maxGap}`);
  }
  return limits;
}

export function tableLimits(limits: PlanLimits, table: Table, base: number): TableLimits {
  const bits = isBitTable(table);
  const holes = limits.holes
    .filter((h) => h.table === table)
    .map((h) => {
      if (h.from > h.to) throw new PlanError('LIMIT_INVALID', `hole ${h.from}..${h.to} in ${table}: from is after to`);
      return { from: Math.max(0, h.from - base), to: h.to - base };
    })
    .filter((h) => h.to >= 0);
  return {
    maxItems: bits ? limits.maxBits : limits.maxRegisters,
    maxGap: bits ? limits.maxGap * BITS_PER_GAP_REGISTER : limits.maxGap,
    holes,
  };
}

/** True when [from, to) shares an address with a hole. */
export function touchesHole(holes: TableLimits['holes'], from: number, to: number): boolean {
  return holes.some((h) => h.from < to && h.to >= from);
}
