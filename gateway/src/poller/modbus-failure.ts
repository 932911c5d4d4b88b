import { errorCodeOf } from '../scheduler/bus-scheduler.js';

/** What a failed transaction tells the poller: the error code and, for exceptions, the number. */
export interface Failure {
  code: string;
  exception?: number;
  message: string;
}

/** Classifies anything a transport or scheduler rejected with (ModbusError has code/exceptionCode). */
export function failureOf(err: unknown): Failure {
  const code = errorCodeOf(err);
  const raw = typeof err === 'object' && err !== null ? (err as { exceptionCode?: unknown }).exceptionCode : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return typeof raw === 'number' ? { code, exception: raw, message } : { code, message };
}

/** A device that answers an exception is alive; anything else (timeout, CRC, garbage, port lost) is no answer. */
export function isNoAnswer(f: Failure): boolean {
  return f.code !== 'MODBUS_EXCEPTION' && f.code !== 'SCHEDULER_CLOSED';
}

/**
 * Worth retrying as smaller reads: exception 2 (illegal data address — a hole inside a merged
 * read, or a device that says 2 when a read is too long), exception 3 (illegal data value — the
 * quantity is above the device's cap; App Protocol v1.1b3 §6.3) or a timeout (devices that stay
 * silent on a read they cannot serve).
 */
export function isSplittable(f: Failure, policy: SplitPolicy): boolean {
  if (f.code === 'MODBUS_EXCEPTION') return policy.onException && (f.exception === 2 || f.exception === 3);
  return policy.onTimeout && f.code === 'MODBUS_TIMEOUT';
}

/**
 * When splitting is worth it. onTimeout: only once the device is known to answer (else a dead
 * device would cost a timeout per half). onException: not while the device refuses every read
 * (a forced exception, a wrong unit id): splitting down to single points would fill the bus.
 */
export interface SplitPolicy {
  onTimeout: boolean;
  onException: boolean;
}
