/**
 * One request/reply exchange on the bus, below the gateway's transports: `fleet scan` needs
 * FC43 and a per-request notion of "no reply began in time" that modbus-serial does not give
 * (it only times the whole reply, from when the request is written). Unit ids are not checked
 * here: callers pass ids they parsed with parseUnit.
 */
export type RawReply =
  /** A well-formed reply from the unit asked (its PDU may be an exception: pdu[0] & 0x80). */
  | { kind: 'reply'; pdu: Buffer }
  /** Nothing began to arrive within the timeout. */
  | { kind: 'timeout' }
  /** Bytes arrived but formed no valid reply (bad CRC, wrong unit, truncated): noise, or another line setting. */
  | { kind: 'garbled'; bytes: number };

/** What went over the line, for the scan's timing report (line minimum vs measured). */
export interface TransactionRecord {
  reqBytes: number;
  /** Undefined when the request timed out. */
  respBytes?: number;
  timeoutMs: number;
}

export interface RawBus {
  readonly kind: 'rtu' | 'tcp';
  request(unit: number, pdu: Buffer, timeoutMs: number): Promise<RawReply>;
  readonly transactions: readonly TransactionRecord[];
  /** Units whose valid reply came after their request had timed out (they are there, but slow). */
  readonly lateUnits: ReadonlySet<number>;
  close(): Promise<void>;
}

/** Modbus App Protocol v1.1b3 §7: an exception reply sets the high bit of the function code. */
export function exceptionCode(pdu: Buffer): number | undefined {
  return (pdu[0] ?? 0) & 0x80 ? (pdu[1] ?? 0) : undefined;
}

/** A read request (FC01..04: same PDU layout) of `count` items at 0-based `address`. */
export function readRegistersPdu(fc: 1 | 2 | 3 | 4, address: number, count: number): Buffer {
  return Buffer.from([fc, address >> 8, address & 0xff, count >> 8, count & 0xff]);
}

/** The words of an FC03/FC04 reply, or undefined when it is not one of `count` registers. */
export function registersOf(pdu: Buffer, count: number): number[] | undefined {
  if ((pdu[0] !== 3 && pdu[0] !== 4) || pdu[1] !== 2 * count || pdu.length !== 2 + 2 * count) return undefined;
  return Array.from({ length: count }, (_, i) => pdu.readUInt16BE(2 + 2 * i));
}
