import { intParam } from './fault-book.js';
import type { FaultBook, FaultSpec } from './fault-book.js';

/** GB/T 24476's lift fault taxonomy, as faults the simulator can inject. */
export const ELEVATOR_FAULTS: Readonly<Record<string, FaultSpec>> = {
  entrapment: { description: 'car stops between floors with doors closed and a passenger presses the alarm button' },
  'power-failure': { description: 'mains lost: the car stops where it is, doors stay as they were' },
  'door-open-while-moving': { description: 'door contact reports the door open while the car travels' },
  overspeed: { description: 'runaway drive: the car runs at 2.1 m/s and trips the governor switch' },
  overtravel: { description: 'car passes a final limit switch and stops (param side: top|bottom, default top)' },
  'safety-circuit-open': { description: 'safety chain opens: the car stops where it is' },
  'door-lock-open': { description: 'door-lock circuit open with doors closed: the car refuses to start' },
  'stopped-not-level': { description: 'car stops 60 mm below the sill at every floor' },
  'fault-code': { description: 'controller reports a vendor fault code (param code, default 62: door operator)' },
};

export const DEFAULT_FAULT_CODE = 62;

/** Vendor codes of the LMI-200 table, highest priority first. */
const CODE_OF: readonly (readonly [string, number])[] = [
  ['power-failure', 51],
  ['safety-circuit-open', 11],
  ['overtravel', 31],
  ['overspeed', 21],
  ['door-lock-open', 12],
  ['stopped-not-level', 41],
];

/** The fault code the controller shows: an injected code wins, else the most serious fault's code. */
export function elevatorFaultCode(faults: FaultBook): number {
  if (faults.has('fault-code')) return intParam(faults.params('fault-code'), 'code', DEFAULT_FAULT_CODE, 1, 0xffff);
  return CODE_OF.find(([name]) => faults.has(name))?.[1] ?? 0;
}
