import type { Table } from '@edgefleet/device-profiles';
import { readTable, writeBits, writeWords } from './modbus-client.js';
import type { ModbusSerialClient } from './modbus-client.js';
import { ModbusError } from './modbus-error.js';
import { checkRequest, checkWords } from './request-limits.js';

/** One request, validated and ready to run on whichever client the link holds when its turn comes. */
export type ClientCall<T> = (client: ModbusSerialClient) => Promise<T>;

export function readCall(table: Table, address: number, count: number): ClientCall<number[]> {
  checkRequest('read', table, address, count);
  return (client) => readTable(client, table, address, count);
}

/** FC6 for one register unless told otherwise, FC16 for more. */
export function writeRegistersCall(address: number, words: readonly number[], fc?: 6 | 16): ClientCall<void> {
  const code = fc ?? (words.length === 1 ? 6 : 16);
  checkSingle(code === 6, words.length, 'FC6 writes exactly one register');
  checkRequest('write', 'holding', address, words.length);
  checkWords(words);
  const copy = [...words];
  return (client) => writeWords(client, address, copy, code);
}

/** FC5 for one coil unless told otherwise, FC15 for more. */
export function writeCoilsCall(address: number, bits: readonly boolean[], fc?: 5 | 15): ClientCall<void> {
  const code = fc ?? (bits.length === 1 ? 5 : 15);
  checkSingle(code === 5, bits.length, 'FC5 writes exactly one coil');
  checkRequest('write', 'coil', address, bits.length);
  const copy = [...bits];
  return (client) => writeBits(client, address, copy, code);
}

function checkSingle(isSingle: boolean, count: number, message: string): void {
  if (isSingle && count !== 1) throw new ModbusError('MODBUS_BAD_REQUEST', `${message}, got ${count}`);
}
