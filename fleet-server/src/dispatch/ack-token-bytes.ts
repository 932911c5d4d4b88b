/**
 * Unsigned LEB128 varints and fixed-width fields for the compact ack token (ack-link.ts).
 * Arithmetic rather than bit operators: JS bit operators truncate to 32 bits and alert ids may
 * grow beyond that.
 */

/** 8 varint bytes carry 56 bits: enough for Number.MAX_SAFE_INTEGER (2^53 - 1). */
const MAX_VARINT_BYTES = 8;

export function writeVarint(value: number, out: number[]): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint: ${value} is not a safe non-negative integer`);
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) + 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
}

/** A reader over a byte buffer; every read returns undefined instead of running past the end. */
export class ByteReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  u8(): number | undefined {
    if (this.remaining < 1) return undefined;
    return this.bytes[this.offset++];
  }

  varint(): number | undefined {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const byte = this.u8();
      if (byte === undefined) return undefined;
      value += (byte % 0x80) * scale;
      if (byte < 0x80) return Number.isSafeInteger(value) ? value : undefined;
      scale *= 0x80;
    }
    return undefined;
  }

  /** Big-endian unsigned integer of `width` bytes (width <= 6 keeps it exact). */
  uint(width: number): number | undefined {
    if (this.remaining < width) return undefined;
    let value = 0;
    for (let i = 0; i < width; i++) value = value * 0x100 + (this.bytes[this.offset++] ?? 0);
    return value;
  }
}

/** Big-endian unsigned integer of `width` bytes. */
export function writeUint(value: number, width: number, out: number[]): void {
  if (!Number.isSafeInteger(value) || value < 0 || value >= 0x100 ** width) {
    throw new RangeError(`uint${width * 8}: ${value} out of range`);
  }
  for (let i = width - 1; i >= 0; i--) out.push(Math.floor(value / 0x100 ** i) % 0x100);
}
