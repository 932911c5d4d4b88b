import type { HoleMap } from './address-ranges.js';
import type { IdentificationObject } from './device-identification.js';
import type { RegisterBank } from './register-bank.js';

/** A write a master applied to the bank; `values` are words (holding) or bits (coil). */
export interface WriteEvent {
  table: 'holding' | 'coil';
  address: number;
  values: number[];
}

/** Everything the pure PDU handler needs to know about one device. */
export interface PduContext {
  bank: RegisterBank;
  maxRegistersPerRead: number;
  maxBitsPerRead: number;
  writeFunctions: ReadonlySet<number>;
  holes: HoleMap;
  identification: readonly IdentificationObject[];
}

/** The handler's answer: a response PDU (possibly an exception) and the write it applied. */
export interface PduResult {
  pdu: Buffer;
  exception?: number;
  write?: WriteEvent;
}
