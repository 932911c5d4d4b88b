import { describe, expect, it } from 'vitest';
import { crc16, hasValidCrc, writeCrc } from '../../src/modbus/crc16.js';

describe('crc16', () => {
  it('gives the CRC-16/MODBUS check value for "123456789"', () => {
    expect(crc16(Buffer.from('123456789', 'ascii'))).toBe(0x4b37);
  });

  it('matches the spec example request 11 03 00 6B 00 03 → CRC bytes 76 87', () => {
    const crc = crc16(Buffer.from([0x11, 0x03, 0x00, 0x6b, 0x00, 0x03]));
    expect([crc & 0xff, crc >>> 8]).toEqual([0x76, 0x87]);
  });

  it('matches the common read frame 01 03 00 00 00 0A → C5 CD', () => {
    expect(hasValidCrc(Buffer.from([0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xcd]))).toBe(true);
  });

  it('is 0xFFFF for an empty buffer (the initial value)', () => {
    expect(crc16(new Uint8Array(0))).toBe(0xffff);
  });

  it('writeCrc produces frames hasValidCrc accepts, and a flipped bit is caught', () => {
    const frame = writeCrc(Buffer.from([0x05, 0x10, 0x00, 0x01, 0x00, 0x01, 0x02, 0x12, 0x34, 0, 0]));
    expect(hasValidCrc(frame)).toBe(true);
    frame[3] = (frame[3] ?? 0) ^ 0x01;
    expect(hasValidCrc(frame)).toBe(false);
  });
});
