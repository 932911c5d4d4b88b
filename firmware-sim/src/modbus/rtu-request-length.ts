import { hasValidCrc } from './crc16.js';

/** Largest RTU frame: address + 253-byte PDU + CRC (Modbus over Serial Line v1.02 §2.5.1.1). */
export const MAX_RTU_FRAME = 256;

/**
 * Length of the request frame at the start of `buf` (address, PDU, CRC), from its function code
 * and, for variable-length requests, its byte count (App Protocol v1.1b3 §6). Returns 0 when more
 * bytes are needed to tell, and undefined for a function code whose request length is unknown.
 */
export function rtuRequestLength(buf: Uint8Array): number | undefined {
  if (buf.length < 2) return 0;
  const withCount = (index: number, fixed: number): number => (buf.length > index ? fixed + (buf[index] ?? 0) : 0);
  switch (buf[1]) {
    case 1: case 2: case 3: case 4: case 5: case 6: case 8:
      return 8;
    case 7: case 11: case 12: case 17:
      return 4;
    case 15: case 16:
      return withCount(6, 9);
    case 20: case 21:
      return withCount(2, 5);
    case 22:
      return 10;
    case 23:
      return withCount(10, 13);
    case 24:
      return 6;
    case 43:
      if (buf.length < 3) return 0;
      return buf[2] === 0x0e ? 7 : undefined;
    default:
      return undefined;
  }
}

/** For an unknown function code: the shortest prefix of `buf` that ends in a valid CRC, if any. */
export function findCrcFrame(buf: Uint8Array): number | undefined {
  const max = Math.min(buf.length, MAX_RTU_FRAME);
  for (let n = 4; n <= max; n++) if (hasValidCrc(buf.subarray(0, n))) return n;
  return undefined;
}
