import type { FaultParams } from './device-model.js';
import { numberParam } from './fault-book.js';
import type { FaultSpec } from './fault-book.js';

/** Bits of the meter's status register (profile labels: empty-pipe, reverse-flow, tamper, low-battery). */
export const WaterStatusBit = { EmptyPipe: 0, ReverseFlow: 1, Tamper: 2, LowBattery: 3 } as const;

export const WATER_FAULTS: Readonly<Record<string, FaultSpec>> = {
  leak: { description: 'a constant extra flow day and night (param rate m³/h, default 0.15)' },
  'reverse-flow': { description: 'water runs backwards through the meter (param rate m³/h, default 0.8)' },
  freeze: { description: 'water temperature falls 1 °C a minute toward param temp (default 0.5 °C)' },
  'empty-pipe': { description: 'no water in the pipe: flow reads 0, signal lost, status bit set' },
  tamper: { description: 'tamper switch / magnet detected' },
  'low-battery': { description: 'battery drops to param volts (default 3.0 V)' },
  'counter-backwards': { description: 'one-shot: the forward total goes back by param by m³ (default 100)', oneShot: true },
  'meter-replaced': { description: 'one-shot: a new meter: new serial number, totals and hours from 0', oneShot: true },
};

/** Checks a fault's parameters before it is recorded, so a bad value changes nothing. */
export function checkWaterFaultParams(name: string, params: FaultParams): void {
  if (name === 'leak') numberParam(params, 'rate', 0.15, 0.001, 10);
  if (name === 'reverse-flow') numberParam(params, 'rate', 0.8, 0.001, 40);
  if (name === 'freeze') numberParam(params, 'temp', 0.5, -5, 4);
  if (name === 'low-battery') numberParam(params, 'volts', 3.0, 2.5, 3.6);
  if (name === 'counter-backwards') numberParam(params, 'by', 100, 0.001, 1e9);
}
