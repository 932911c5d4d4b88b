/**
 * CRC-16/MODBUS (Modbus over Serial Line v1.02 §6.2.2): polynomial 0xA001 (reflected 0x8005),
 * initial value 0xFFFF. The frame carries it low byte first.
 */
const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    table[n] = c;
  }
  return table;
}

/** CRC of `buf[start, end)`; by default the whole buffer. */
export function crc16(buf: Uint8Array, start = 0, end = buf.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ (TABLE[(crc ^ (buf[i] ?? 0)) & 0xff] ?? 0);
  return crc;
}

/** Whether the last two bytes of `frame` are the CRC of the bytes before them. */
export function hasValidCrc(frame: Uint8Array): boolean {
  const n = frame.length;
  if (n < 4) return false;
  const crc = crc16(frame, 0, n - 2);
  return frame[n - 2] === (crc & 0xff) && frame[n - 1] === crc >>> 8;
}

/** Writes the CRC of `frame[0, length - 2)` into its last two bytes (low byte first). */
export function writeCrc(frame: Buffer): Buffer {
  const crc = crc16(frame, 0, frame.length - 2);
  frame[frame.length - 2] = crc & 0xff;
  frame[frame.length - 1] = crc >>> 8;
  return frame;
}
