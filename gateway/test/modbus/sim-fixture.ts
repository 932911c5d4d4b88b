import { Profile } from '@edgefleet/device-profiles';
import { SimUnit } from '@edgefleet/firmware-sim';
import type { BusState, ModbusTransport } from '../../src/modbus/modbus-transport.js';
import type { BackoffOptions } from '../../src/modbus/reconnect-backoff.js';

/** A plain device for transport tests: every table readable and writable, no holes, no caps. */
export const plainProfile = Profile.parse({
  version: 1,
  id: 'plain-device',
  vendor: 'Acme',
  model: 'P1',
  family: 'generic',
  source: 'inline test profile',
  points: [{ id: 'level', name: 'Level', table: 'holding', address: 0, type: 'uint16' }],
});

/** A unit whose four tables hold distinct, recognisable patterns. */
export function patternedUnit(unit: number): SimUnit {
  const sim = new SimUnit({ unit, profile: plainProfile });
  sim.bank.setWords('holding', 0, Array.from({ length: 200 }, (_, i) => (unit * 1000 + i * 7919) % 65536));
  sim.bank.setWords('input', 0, Array.from({ length: 200 }, (_, i) => (unit * 3000 + i * 104729) % 65536));
  sim.bank.setBits('coil', 0, Array.from({ length: 2100 }, (_, i) => ((i * 13 + unit) % 5 === 0 ? 1 : 0)));
  sim.bank.setBits('discrete', 0, Array.from({ length: 2100 }, (_, i) => ((i * 7 + unit) % 3 === 0 ? 1 : 0)));
  return sim;
}

/**
 * Response timeout for calls the sim answers (data, an exception, a bad CRC): it answers within
 * ms, so only a starved test process waits this out. 500 ms could, under a CI-like load, turn an
 * expected reply or classification into MODBUS_TIMEOUT. Tests of silence pass their own short one.
 */
export const REPLY_MS = 5_000;

/** Short backoff so reconnect tests stay quick; the schedule itself is table-tested. */
export const FAST_BACKOFF: BackoffOptions = { initialMs: 20, maxMs: 200, jitter: 0.2 };

/** Resolves when the transport reaches `state` (at once if it is there already). */
export function waitForState(transport: ModbusTransport, state: BusState): Promise<void> {
  if (transport.state() === state) return Promise.resolve();
  return new Promise((resolve) => {
    const off = transport.onStateChange((next) => {
      if (next !== state) return;
      off();
      resolve();
    });
  });
}

/** Resolves on the next change to `state`, ignoring where the transport is now. */
export function nextState(transport: ModbusTransport, state: BusState): Promise<void> {
  return new Promise((resolve) => {
    const off = transport.onStateChange((next) => {
      if (next !== state) return;
      off();
      resolve();
    });
  });
}

/** The rejection of `promise`, or a failure if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection, the promise resolved');
}
