import type { Table } from '@edgefleet/device-profiles';
import { ModbusError } from './modbus-error.js';

// Modbus App Protocol v1.1b3 §6.1-6.4: FC01/02 read 1..2000 bits, FC03/04 read 1..125 registers;
// §6.11 FC15 writes 1..1968 coils; §6.12 FC16 writes 1..123 registers.
export const MAX_READ_REGISTERS = 125;
export const MAX_READ_BITS = 2000;
export const MAX_WRITE_REGISTERS = 123;
export const MAX_WRITE_COILS = 1968;
const ADDRESS_SPACE = 65536;

/** Refuses, without sending, a request no device could answer. Planning within limits is the planner's job. */
export function checkRequest(op: 'read' | 'write', table: Table, address: number, count: number): void {
  const words = table === 'holding' || table === 'input';
  const max = op === 'read' ? (words ? MAX_READ_REGISTERS : MAX_READ_BITS) : words ? MAX_WRITE_REGISTERS : MAX_WRITE_COILS;
  if (!Number.isInteger(count) || count < 1 || count > max) {
    throw new ModbusError('MODBUS_BAD_REQUEST', `${op} of ${count} ${words ? 'registers' : 'bits'} from ${table}: must be 1..${max}`);
  }
  if (!Number.isInteger(address) || address < 0 || address + count > ADDRESS_SPACE) {
    throw new ModbusError('MODBUS_BAD_REQUEST', `${op} ${table} ${address}+${count}: outside the address space 0..65535`);
  }
}

export function checkTimeout(timeoutMs: number): void {
  // modbus-serial treats 0 as "no timeout": a silent device would hang the bus forever.
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ModbusError('MODBUS_BAD_REQUEST', `timeout must be a positive number of ms, got ${timeoutMs}`);
  }
}

export function checkUnit(unit: number): void {
  if (!Number.isInteger(unit) || unit < 0 || unit > 255) throw new ModbusError('MODBUS_BAD_REQUEST', `unit id ${unit} is outside 0..255`);
}

export function checkWords(words: readonly number[]): void {
  const bad = words.findIndex((w) => !Number.isInteger(w) || w < 0 || w > 0xffff);
  if (bad >= 0) throw new ModbusError('MODBUS_BAD_REQUEST', `word ${bad} (${words[bad]}) is not a 16-bit unsigned integer`);
}
