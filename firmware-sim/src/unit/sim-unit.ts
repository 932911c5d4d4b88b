import type { Profile } from '@edgefleet/device-profiles';
import { createBusFaults } from '../faults/bus-faults.js';
import type { BusFaults } from '../faults/bus-faults.js';
import { mapHoles } from '../modbus/address-ranges.js';
import { identificationObjects } from '../modbus/device-identification.js';
import { exceptionPdu } from '../modbus/function-codes.js';
import { handlePdu } from '../modbus/handle-pdu.js';
import type { PduContext, WriteEvent } from '../modbus/pdu-context.js';
import { RegisterBank } from '../modbus/register-bank.js';

export type { WriteEvent };

/** A unit's answer to one request PDU; `pdu` undefined means it stays silent. */
export interface SlaveReply {
  pdu: Buffer | undefined;
  /** Exception code when `pdu` is an exception response. */
  exception?: number;
}

export interface SimUnitStats {
  requests: number;
  exceptions: number;
  writes: number;
  /** Requests left unanswered because of the noReply fault. */
  silent: number;
}

/**
 * One simulated slave (a unit id) behind a transport. Its behaviour on the bus comes from the
 * profile: read caps, holes, supported write function codes and FC43 identification.
 */
export class SimUnit {
  readonly unit: number;
  readonly profile: Profile;
  readonly bank = new RegisterBank();
  readonly faults: BusFaults = createBusFaults();
  readonly stats: SimUnitStats = { requests: 0, exceptions: 0, writes: 0, silent: 0 };
  readonly #ctx: PduContext;
  readonly #listeners = new Set<(w: WriteEvent) => void>();

  constructor(opts: { unit: number; profile: Profile }) {
    if (!Number.isInteger(opts.unit) || opts.unit < 0 || opts.unit > 255) {
      throw new RangeError(`SimUnit ${opts.profile.id}: unit id ${opts.unit} is outside 0..255`);
    }
    this.unit = opts.unit;
    this.profile = opts.profile;
    const t = opts.profile.transport;
    this.#ctx = {
      bank: this.bank,
      maxRegistersPerRead: t.maxRegistersPerRead,
      maxBitsPerRead: t.maxBitsPerRead,
      writeFunctions: new Set<number>(t.writeFunctions),
      holes: mapHoles(t.holes, t.base),
      identification: identificationObjects(opts.profile),
    };
  }

  /** Calls `listener` after each write a master applied to the bank; returns an unsubscribe. */
  onWrite(listener: (w: WriteEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Answers one request PDU, applying the noReply and exception faults. */
  handle(requestPdu: Buffer): SlaveReply {
    this.stats.requests++;
    if (this.faults.noReply) {
      this.stats.silent++;
      return { pdu: undefined };
    }
    const forced = this.faults.exception;
    if (forced !== undefined) {
      this.stats.exceptions++;
      return { pdu: exceptionPdu(requestPdu[0] ?? 0, forced), exception: forced & 0xff };
    }
    const result = handlePdu(requestPdu, this.#ctx);
    if (result.exception !== undefined) {
      this.stats.exceptions++;
      return { pdu: result.pdu, exception: result.exception };
    }
    if (result.write) {
      this.stats.writes++;
      for (const listener of this.#listeners) listener(result.write);
    }
    return { pdu: result.pdu };
  }
}
