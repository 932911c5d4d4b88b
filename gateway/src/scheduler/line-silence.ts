/** Baud rate above which t3.5 is fixed (Modbus over Serial Line v1.02 §2.5.1.1). */
const FIXED_ABOVE_BAUD = 19200;
const FIXED_T35_MS = 1.75;

/**
 * Minimum line silence between two RTU frames, t3.5: 3.5 characters of `bitsPerChar` bits
 * (11 in RTU: start, 8 data, parity or a second stop, stop — Serial Line v1.02 §2.5.1), fixed at
 * 1.75 ms above 19200 baud (§2.5.1.1) because the character time is too short to time reliably.
 */
export function t35Ms(baud: number, bitsPerChar = 11): number {
  if (!(baud > 0)) throw new RangeError(`t35Ms: baud must be positive, got ${baud}`);
  if (baud > FIXED_ABOVE_BAUD) return FIXED_T35_MS;
  return (3.5 * bitsPerChar * 1000) / baud;
}

/** Bits per character of a serial format: start + data + parity + stop bits. */
export function bitsPerChar(opts: { dataBits: number; parity: 'none' | 'even' | 'odd'; stopBits: number }): number {
  return 1 + opts.dataBits + (opts.parity === 'none' ? 0 : 1) + opts.stopBits;
}
