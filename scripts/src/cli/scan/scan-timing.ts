import type { LineTiming } from '@edgefleet/firmware-sim';
import type { TransactionRecord } from '../bus/raw-bus.js';

/**
 * The least time the transactions a scan made can take on the line (Modbus over Serial Line
 * v1.02 §2.5.1.1): a unit that stays silent costs its request's character time, the timeout
 * and t3.5; one that answers costs both frames, a t3.5 after each, and `turnaroundMs`.
 */
export function lineMinimumMs(transactions: readonly TransactionRecord[], timing: LineTiming, turnaroundMs = 0): number {
  return transactions.reduce(
    (sum, t) => sum + (t.respBytes === undefined ? timing.frameMs(t.reqBytes) + t.timeoutMs + timing.t35Ms : timing.transactionMs(t.reqBytes, t.respBytes, turnaroundMs)),
    0,
  );
}

/** Bytes of the probe's reply (address, FC03, byte count, one register, CRC). */
const PROBE_REPLY_BYTES = 7;
/** Device turnaround and USB adapter latency (an FTDI's default latency timer is 16 ms) the default allows. */
const TURNAROUND_ALLOWANCE_MS = 30;
export const DEFAULT_TCP_PROBE_TIMEOUT_MS = 200;
/** Identification reads go to units known to be there, so they may wait longer. */
export const MIN_IDENTIFY_TIMEOUT_MS = 500;

/** The timeout for reads of a unit known to be there (identification, a late unit's re-probe). */
export const identifyTimeoutMs = (probeTimeoutMs: number): number => Math.max(MIN_IDENTIFY_TIMEOUT_MS, probeTimeoutMs);

/**
 * Default scan timeout on RTU: t3.5, the probe reply's own character time (a PTY or a USB
 * adapter hands over bytes in bursts, so its first byte may show only when the reply is whole)
 * and a turnaround allowance. 42 ms at 9600 baud, 32.6 ms at 115200.
 */
export function defaultRtuProbeTimeoutMs(timing: LineTiming): number {
  return Number((timing.t35Ms + timing.frameMs(PROBE_REPLY_BYTES) + TURNAROUND_ALLOWANCE_MS).toFixed(1));
}
