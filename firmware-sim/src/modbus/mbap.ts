/** MBAP header: transaction id, protocol id, length, unit id (Modbus TCP Implementation Guide §3.1.3). */
export const MBAP_HEADER_BYTES = 7;
/** `length` counts the unit id and the PDU; a PDU is 1..253 bytes. */
const MIN_LENGTH = 2;
const MAX_LENGTH = 254;

export interface MbapHeader {
  transactionId: number;
  unit: number;
  /** Header plus PDU. */
  frameBytes: number;
}

/** Parses the header at the start of `buf` (≥ 7 bytes); undefined when it is not valid Modbus TCP. */
export function parseMbapHeader(buf: Buffer): MbapHeader | undefined {
  const protocol = buf.readUInt16BE(2);
  const length = buf.readUInt16BE(4);
  if (protocol !== 0 || length < MIN_LENGTH || length > MAX_LENGTH) return undefined;
  return { transactionId: buf.readUInt16BE(0), unit: buf[6] ?? 0, frameBytes: 6 + length };
}

/** Frames a PDU for Modbus TCP, echoing the request's transaction id and unit id. */
export function encodeMbapFrame(transactionId: number, unit: number, pdu: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(MBAP_HEADER_BYTES + pdu.length);
  frame.writeUInt16BE(transactionId, 0);
  frame.writeUInt16BE(0, 2);
  frame.writeUInt16BE(pdu.length + 1, 4);
  frame[6] = unit;
  pdu.copy(frame, MBAP_HEADER_BYTES);
  return frame;
}
