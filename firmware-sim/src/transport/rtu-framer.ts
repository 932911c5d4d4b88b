import { hasValidCrc } from '../modbus/crc16.js';
import { MAX_RTU_FRAME, findCrcFrame, rtuRequestLength } from '../modbus/rtu-request-length.js';

export type FramerEvent =
  | { kind: 'frame'; frame: Buffer }
  /** A frame of the expected length whose CRC is wrong (Modbus over Serial Line v1.02 §2.5.1.2). */
  | { kind: 'crc-error'; bytes: number }
  /** Bytes that cannot start a request (an impossible length, an unknown function without a CRC match). */
  | { kind: 'malformed'; bytes: number };

/**
 * Splits the byte stream a slave receives into request frames by the length each function code
 * implies, instead of by inter-frame silence: a PTY delivers bytes with no timing at all. After a
 * bad frame everything buffered is dropped, as a receiver discards until the next silence.
 */
export class RtuFramer {
  #buf: Buffer = Buffer.alloc(0);

  /** Bytes waiting for the rest of their frame. */
  get pending(): number {
    return this.#buf.length;
  }

  push(chunk: Buffer): FramerEvent[] {
    let buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    const events: FramerEvent[] = [];
    while (buf.length >= 2) {
      const expected = rtuRequestLength(buf);
      if (expected === 0) break;
      if (expected === undefined) {
        const found = findCrcFrame(buf);
        if (found !== undefined) {
          events.push({ kind: 'frame', frame: Buffer.from(buf.subarray(0, found)) });
          buf = buf.subarray(found);
          continue;
        }
        if (buf.length >= MAX_RTU_FRAME) {
          events.push({ kind: 'malformed', bytes: buf.length });
          buf = buf.subarray(buf.length);
        }
        break;
      }
      if (expected > MAX_RTU_FRAME) {
        events.push({ kind: 'malformed', bytes: buf.length });
        buf = buf.subarray(buf.length);
        break;
      }
      if (buf.length < expected) break;
      const frame = buf.subarray(0, expected);
      if (!hasValidCrc(frame)) {
        events.push({ kind: 'crc-error', bytes: buf.length });
        buf = buf.subarray(buf.length);
        break;
      }
      events.push({ kind: 'frame', frame: Buffer.from(frame) });
      buf = buf.subarray(expected);
    }
    this.#buf = Buffer.from(buf);
    return events;
  }

  /** Drops a partial frame (the line went silent before it completed); returns its size. */
  discard(): number {
    const n = this.#buf.length;
    this.#buf = Buffer.alloc(0);
    return n;
  }
}
