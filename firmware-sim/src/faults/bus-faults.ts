/**
 * Bus-level faults of one simulated unit, mutable at runtime (tests, the control API).
 *
 * Where each is applied:
 * - noReply, exception: by SimUnit.handle(), so every transport behaves the same. A silent unit
 *   does not apply writes either: it is as if the request never reached it.
 * - corruptCrc, slowMs, garbage: by the transports, on the framed reply. Modbus TCP has no CRC
 *   (TCP checksums the stream), so corruptCrc has no effect there; the TCP server counts it.
 */
export interface BusFaults {
  /** Stay silent: the master times out. */
  noReply: boolean;
  /** Answer every request with this exception code (e.g. 4, slave device failure). */
  exception?: number;
  /** Send the reply with a wrong CRC (RTU only). */
  corruptCrc: boolean;
  /** Extra device turnaround before the reply, in ms. */
  slowMs: number;
  /** Send random bytes, as long as the reply would have been, instead of the reply. */
  garbage: boolean;
}

export function createBusFaults(): BusFaults {
  return { noReply: false, exception: undefined, corruptCrc: false, slowMs: 0, garbage: false };
}

/** Clears every fault in place (the object is shared with the transports). */
export function clearBusFaults(faults: BusFaults): void {
  Object.assign(faults, createBusFaults());
}

/** Random bytes standing in for a reply (line noise); transports make sure they are not a valid frame. */
export function makeGarbage(length: number): Buffer {
  const bytes = Buffer.allocUnsafe(Math.max(1, length));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return bytes;
}
