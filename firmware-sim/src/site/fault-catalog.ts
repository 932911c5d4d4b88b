import type { BusFaults } from '../faults/bus-faults.js';
import type { FaultParams } from '../models/device-model.js';

/** Faults applied by the transports rather than the device model: they change bytes on the wire. */
export const BUS_FAULTS = {
  timeout: 'the device does not reply at all (the master times out)',
  exception: 'every request is answered with exception `code` (param code, default 4: device failure)',
  'corrupt-crc': 'replies carry a wrong CRC (RTU; TCP has no CRC, so there it only counts)',
  slow: 'replies are delayed by `ms` more turnaround (param ms, default 500)',
  garbage: 'random bytes, as long as the reply, are sent instead of it',
} as const;
export type BusFaultName = keyof typeof BUS_FAULTS;

export function isBusFault(name: string): name is BusFaultName {
  return Object.hasOwn(BUS_FAULTS, name);
}

/** Applies or clears one bus fault on a unit's mutable fault settings. */
export function setBusFault(faults: BusFaults, name: BusFaultName, on: boolean, params: FaultParams = {}): void {
  switch (name) {
    case 'timeout':
      faults.noReply = on;
      break;
    case 'exception': {
      const code = Number(params.code ?? 4);
      // Modbus App Protocol v1.1b3 §7: exception codes 1..11 are defined.
      if (on && !(Number.isInteger(code) && code >= 1 && code <= 11)) throw new RangeError(`exception code must be 1..11, got ${String(params.code)}`);
      faults.exception = on ? code : undefined;
      break;
    }
    case 'corrupt-crc':
      faults.corruptCrc = on;
      break;
    case 'slow': {
      const ms = Number(params.ms ?? 500);
      if (on && !(Number.isFinite(ms) && ms >= 0 && ms <= 60_000)) throw new RangeError(`slow.ms must be 0..60000, got ${String(params.ms)}`);
      faults.slowMs = on ? ms : 0;
      break;
    }
    case 'garbage':
      faults.garbage = on;
      break;
  }
}

export function activeBusFaults(faults: BusFaults): string[] {
  const active: string[] = [];
  if (faults.noReply) active.push('timeout');
  if (faults.exception !== undefined) active.push('exception');
  if (faults.corruptCrc) active.push('corrupt-crc');
  if (faults.slowMs > 0) active.push('slow');
  if (faults.garbage) active.push('garbage');
  return active;
}
