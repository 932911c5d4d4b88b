import { touchesRange } from './address-ranges.js';
import { EXCEPTION, FC, LIMITS, exceptionPdu } from './function-codes.js';
import type { PduContext, PduResult } from './pdu-context.js';
import { ADDRESS_SPACE } from './register-bank.js';
import type { BitTable, WordTable } from './register-bank.js';

function fail(fc: number, code: number): PduResult {
  return { pdu: exceptionPdu(fc, code), exception: code };
}

function isAddressable(ctx: PduContext, table: BitTable | WordTable, address: number, count: number): boolean {
  return address + count <= ADDRESS_SPACE && !touchesRange(ctx.holes[table], address, count);
}

/** FC05 (§6.5): 0xFF00 sets the coil, 0x0000 clears it, anything else is exception 3. */
export function writeSingleCoil(req: Buffer, ctx: PduContext): PduResult {
  if (req.length !== 5) return fail(FC.writeSingleCoil, EXCEPTION.illegalDataValue);
  const address = req.readUInt16BE(1);
  const raw = req.readUInt16BE(3);
  if (raw !== 0xff00 && raw !== 0x0000) return fail(FC.writeSingleCoil, EXCEPTION.illegalDataValue);
  if (!isAddressable(ctx, 'coil', address, 1)) return fail(FC.writeSingleCoil, EXCEPTION.illegalDataAddress);
  const values = [raw === 0xff00 ? 1 : 0];
  ctx.bank.setBits('coil', address, values);
  return { pdu: Buffer.from(req), write: { table: 'coil', address, values } };
}

/** FC06 (§6.6): the response echoes the request. */
export function writeSingleRegister(req: Buffer, ctx: PduContext): PduResult {
  if (req.length !== 5) return fail(FC.writeSingleRegister, EXCEPTION.illegalDataValue);
  const address = req.readUInt16BE(1);
  if (!isAddressable(ctx, 'holding', address, 1)) return fail(FC.writeSingleRegister, EXCEPTION.illegalDataAddress);
  const values = [req.readUInt16BE(3)];
  ctx.bank.setWords('holding', address, values);
  return { pdu: Buffer.from(req), write: { table: 'holding', address, values } };
}

/** Header of FC15/FC16 requests: address, quantity, byte count, then the data. */
function readMultipleHeader(req: Buffer, maxCount: number, bytesFor: (count: number) => number): { address: number; count: number } | undefined {
  if (req.length < 6) return undefined;
  const address = req.readUInt16BE(1);
  const count = req.readUInt16BE(3);
  const byteCount = req[5] ?? 0;
  if (count < 1 || count > maxCount || byteCount !== bytesFor(count) || req.length !== 6 + byteCount) return undefined;
  return { address, count };
}

function multipleResponse(fc: number, address: number, count: number): Buffer {
  const pdu = Buffer.allocUnsafe(5);
  pdu[0] = fc;
  pdu.writeUInt16BE(address, 1);
  pdu.writeUInt16BE(count, 3);
  return pdu;
}

/** FC15 (§6.11): quantity 1..1968, byte count = ceil(quantity / 8), bits LSB first. */
export function writeMultipleCoils(req: Buffer, ctx: PduContext): PduResult {
  const head = readMultipleHeader(req, LIMITS.writeCoils, (n) => (n + 7) >> 3);
  if (!head) return fail(FC.writeMultipleCoils, EXCEPTION.illegalDataValue);
  const { address, count } = head;
  if (!isAddressable(ctx, 'coil', address, count)) return fail(FC.writeMultipleCoils, EXCEPTION.illegalDataAddress);
  const values = Array.from({ length: count }, (_, i) => ((req[6 + (i >> 3)] ?? 0) >> (i & 7)) & 1);
  ctx.bank.setBits('coil', address, values);
  return { pdu: multipleResponse(FC.writeMultipleCoils, address, count), write: { table: 'coil', address, values } };
}

/** FC16 (§6.12): quantity 1..123, byte count = 2 × quantity. */
export function writeMultipleRegisters(req: Buffer, ctx: PduContext): PduResult {
  const head = readMultipleHeader(req, LIMITS.writeRegisters, (n) => 2 * n);
  if (!head) return fail(FC.writeMultipleRegisters, EXCEPTION.illegalDataValue);
  const { address, count } = head;
  if (!isAddressable(ctx, 'holding', address, count)) return fail(FC.writeMultipleRegisters, EXCEPTION.illegalDataAddress);
  const values = Array.from({ length: count }, (_, i) => req.readUInt16BE(6 + 2 * i));
  ctx.bank.setWords('holding', address, values);
  return { pdu: multipleResponse(FC.writeMultipleRegisters, address, count), write: { table: 'holding', address, values } };
}
