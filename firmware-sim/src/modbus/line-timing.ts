/** Serial character format; RTU is 8 data bits (Modbus over Serial Line v1.02 §2.5.1). */
export interface CharFormat {
  /** Bits on the line per character, start and stop bits included. Default 11. */
  bitsPerChar?: number;
}

export interface LineTiming {
  /** Time one character occupies the line. */
  charMs: number;
  /** Minimum silence between frames. */
  t35Ms: number;
  /** Time `bytes` characters occupy the line. */
  frameMs(bytes: number): number;
  /** One request + response cycle: both frames, a t3.5 after each, and the device turnaround. */
  transactionMs(reqBytes: number, respBytes: number, turnaroundMs?: number): number;
}

/** Baud rate above which t3.5 is a fixed 1.75 ms (Modbus over Serial Line v1.02 §2.5.1.1). */
const FIXED_T35_ABOVE_BAUD = 19200;
const FIXED_T35_MS = 1.75;

/**
 * Bits per character of a serial format: start + data + parity + stop. Modbus over Serial Line
 * v1.02 §2.5.1 asks for 11 (2 stop bits when there is no parity), so that is the default.
 */
export function bitsPerChar(opts: { dataBits?: number; parity?: 'none' | 'even' | 'odd'; stopBits?: number }): number {
  const parity = opts.parity ?? 'none';
  const stopBits = opts.stopBits ?? (parity === 'none' ? 2 : 1);
  return 1 + (opts.dataBits ?? 8) + (parity === 'none' ? 0 : 1) + stopBits;
}

/** Line timing of Modbus RTU at `baud`; pure, used by the RTU pacing and by benchmarks. */
export function lineTiming(baud: number, opts: CharFormat = {}): LineTiming {
  if (!(baud > 0)) throw new RangeError(`lineTiming: baud must be positive, got ${baud}`);
  const bits = opts.bitsPerChar ?? 11;
  const charMs = (bits * 1000) / baud;
  const t35Ms = baud > FIXED_T35_ABOVE_BAUD ? FIXED_T35_MS : 3.5 * charMs;
  const frameMs = (bytes: number): number => bytes * charMs;
  return {
    charMs,
    t35Ms,
    frameMs,
    transactionMs: (reqBytes, respBytes, turnaroundMs = 0) => frameMs(reqBytes + respBytes) + 2 * t35Ms + turnaroundMs,
  };
}
