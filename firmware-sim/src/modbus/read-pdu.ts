import { touchesRange } from './address-ranges.js';
import { EXCEPTION, LIMITS, exceptionPdu } from './function-codes.js';
import type { PduContext, PduResult } from './pdu-context.js';
import { ADDRESS_SPACE } from './register-bank.js';
import type { BitTable, WordTable } from './register-bank.js';

function fail(fc: number, code: number): PduResult {
  return { pdu: exceptionPdu(fc, code), exception: code };
}

/**
 * Checks a read request's quantity and range in the order of the spec's state diagrams
 * (App Protocol v1.1b3 §6.1–6.4): quantity first (exception 3), then address (exception 2).
 */
function checkRead(req: Buffer, limit: number, holes: PduContext['holes'][BitTable]): { address: number; count: number } | number {
  if (req.length !== 5) return EXCEPTION.illegalDataValue;
  const address = req.readUInt16BE(1);
  const count = req.readUInt16BE(3);
  if (count < 1 || count > limit) return EXCEPTION.illegalDataValue;
  if (address + count > ADDRESS_SPACE || touchesRange(holes, address, count)) return EXCEPTION.illegalDataAddress;
  return { address, count };
}

/** FC01/FC02: bits packed eight to a byte, the first bit in the least significant position (§6.1). */
export function readBits(req: Buffer, ctx: PduContext, table: BitTable): PduResult {
  const fc = req[0] ?? 0;
  const checked = checkRead(req, Math.min(LIMITS.readBits, ctx.maxBitsPerRead), ctx.holes[table]);
  if (typeof checked === 'number') return fail(fc, checked);
  const { address, count } = checked;
  const byteCount = (count + 7) >> 3;
  const pdu = Buffer.alloc(2 + byteCount);
  pdu[0] = fc;
  pdu[1] = byteCount;
  const bits = ctx.bank.bitView(table);
  for (let i = 0; i < count; i++) {
    if (bits[address + i]) pdu[2 + (i >> 3)] = (pdu[2 + (i >> 3)] ?? 0) | (1 << (i & 7));
  }
  return { pdu };
}

/** FC03/FC04: big-endian registers (§6.3, §6.4); quantity 1..125 and the device's own cap. */
export function readWords(req: Buffer, ctx: PduContext, table: WordTable): PduResult {
  const fc = req[0] ?? 0;
  const checked = checkRead(req, Math.min(LIMITS.readRegisters, ctx.maxRegistersPerRead), ctx.holes[table]);
  if (typeof checked === 'number') return fail(fc, checked);
  const { address, count } = checked;
  const pdu = Buffer.allocUnsafe(2 + 2 * count);
  pdu[0] = fc;
  pdu[1] = 2 * count;
  const words = ctx.bank.wordView(table);
  for (let i = 0; i < count; i++) pdu.writeUInt16BE(words[address + i] ?? 0, 2 + 2 * i);
  return { pdu };
}
