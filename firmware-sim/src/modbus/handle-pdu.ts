import { readDeviceIdentification } from './device-identification.js';
import { EXCEPTION, FC, exceptionPdu } from './function-codes.js';
import type { PduContext, PduResult } from './pdu-context.js';
import { readBits, readWords } from './read-pdu.js';
import { writeMultipleCoils, writeMultipleRegisters, writeSingleCoil, writeSingleRegister } from './write-pdu.js';

function illegalFunction(fc: number): PduResult {
  return { pdu: exceptionPdu(fc, EXCEPTION.illegalFunction), exception: EXCEPTION.illegalFunction };
}

/**
 * Answers one request PDU against a device's bank. Pure apart from the bank writes: no I/O, no
 * faults (SimUnit applies those). A write function the device does not list is exception 1, as a
 * real device that lacks it would answer (App Protocol v1.1b3 §7).
 */
export function handlePdu(req: Buffer, ctx: PduContext): PduResult {
  const fc = req[0];
  if (fc === undefined) return illegalFunction(0);
  switch (fc) {
    case FC.readCoils:
      return readBits(req, ctx, 'coil');
    case FC.readDiscreteInputs:
      return readBits(req, ctx, 'discrete');
    case FC.readHoldingRegisters:
      return readWords(req, ctx, 'holding');
    case FC.readInputRegisters:
      return readWords(req, ctx, 'input');
    case FC.encapsulatedInterface:
      return readDeviceIdentification(req, ctx.identification);
    default:
      break;
  }
  if (!ctx.writeFunctions.has(fc)) return illegalFunction(fc);
  switch (fc) {
    case FC.writeSingleCoil:
      return writeSingleCoil(req, ctx);
    case FC.writeSingleRegister:
      return writeSingleRegister(req, ctx);
    case FC.writeMultipleCoils:
      return writeMultipleCoils(req, ctx);
    case FC.writeMultipleRegisters:
      return writeMultipleRegisters(req, ctx);
    default:
      return illegalFunction(fc);
  }
}
