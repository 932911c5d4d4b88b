import { EXCEPTION, exceptionPdu } from '../modbus/function-codes.js';
import type { SimUnit, SlaveReply } from '../unit/sim-unit.js';

/** Finds the simulated unit behind a unit id; undefined when no device answers to it. */
export type UnitLookup = (unit: number) => SimUnit | undefined;

/**
 * Calls `unit.handle`, turning a thrown error (a broken onWrite listener, a model bug) into
 * exception 4, as a real device with an internal fault would answer, so one bad request never
 * brings the transport down.
 */
export function handleSafely(unit: SimUnit, pdu: Buffer, onError: (err: unknown) => void): SlaveReply {
  try {
    return unit.handle(pdu);
  } catch (err) {
    onError(err);
    return { pdu: exceptionPdu(pdu[0] ?? 0, EXCEPTION.serverDeviceFailure), exception: EXCEPTION.serverDeviceFailure };
  }
}
