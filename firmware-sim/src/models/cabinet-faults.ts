import type { FaultParams } from './device-model.js';
import { intParam, numberParam } from './fault-book.js';
import type { FaultBook, FaultSpec } from './fault-book.js';

export const CABINET_FAULTS: Readonly<Record<string, FaultSpec>> = {
  'conflict-fault': { description: 'conflict monitor trips: forced flash, latched until a master sets auto after the fault clears' },
  'mains-failure': { description: 'mains lost: cabinet on UPS, battery drains (param drain V/min, default 0.05); signals go dark below 21 V' },
  'door-open': { description: 'cabinet door opened' },
  'red-lamp-failure': { description: 'a red lamp fails (param group 1..8, default 1)' },
  'lamp-failure': { description: 'an amber/green lamp fails (param group 1..8, default 3)' },
  'detector-fault': { description: 'a detector loop fails (param detector 1..16, default 1)' },
};

/** Checks a fault's parameters before it is recorded, so a bad value changes nothing. */
export function checkCabinetFaultParams(name: string, params: FaultParams): void {
  if (name === 'mains-failure') numberParam(params, 'drain', 0.05, 0, 10);
  if (name === 'red-lamp-failure') intParam(params, 'group', 1, 1, 8);
  if (name === 'lamp-failure') intParam(params, 'group', 3, 1, 8);
  if (name === 'detector-fault') intParam(params, 'detector', 1, 1, 16);
}

/** A bits value with the one bit the fault names set (1-based), or all clear. */
export function faultBits(faults: FaultBook, name: string, param: string, fallback: number, count: number): boolean[] {
  const bits = new Array<boolean>(count).fill(false);
  if (faults.has(name)) bits[intParam(faults.params(name), param, fallback, 1, count) - 1] = true;
  return bits;
}
