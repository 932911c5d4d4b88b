import { decodePoint, encodePoint } from '@edgefleet/device-profiles';
import type { Family, Point, PointValue, Profile } from '@edgefleet/device-profiles';
import type { DeviceModel, FaultParams, ModelValues } from '../models/device-model.js';
import { FaultError } from '../models/fault-book.js';
import type { SimUnit, WriteEvent } from '../unit/sim-unit.js';
import { bindPoint, type BoundPoint } from './bound-point.js';

/** What the device really is, whatever the registers say: for tests and the control API. */
export interface DeviceTruth {
  id: string;
  family: Family;
  /** Point id → value as a master decodes it without faults (enums as raw numbers). */
  values: Record<string, PointValue>;
  /** Active family and device-level faults. */
  faults: string[];
}

export interface SimDeviceOptions {
  id: string;
  unit: SimUnit;
  model: DeviceModel;
  /** The seed the model was built with; kept for the record (ground truth, logs). */
  seed?: number;
}

/** Faults every family has: they live between the model and the registers. */
export const DEVICE_FAULTS: Readonly<Record<string, string>> = {
  'word-swap': 'multi-register values are encoded with the opposite word order (firmware update gone wrong)',
  reboot: 'one-shot: the device restarts, counters reset to 0 and its state machine starts over',
};

/**
 * Binds a behaviour model to a simulated unit: step() advances the model and encodes every
 * point into the unit's register bank with the shared codec; a master's writes are decoded
 * back to point values and handed to the model, which may accept or ignore them.
 */
export class SimDevice {
  readonly id: string;
  readonly unit: SimUnit;
  readonly model: DeviceModel;
  readonly seed: number | undefined;
  readonly #profile: Profile;
  readonly #points: readonly BoundPoint[];
  readonly #unsubscribe: () => void;
  #wordSwap = false;
  /** The model's values at the last publish; truth() derives from them on demand. */
  #published: ModelValues = {};

  constructor(opts: SimDeviceOptions) {
    this.id = opts.id;
    this.unit = opts.unit;
    this.model = opts.model;
    this.seed = opts.seed;
    this.#profile = opts.unit.profile;
    if (this.model.family !== 'generic' && this.model.family !== this.#profile.family) {
      throw new TypeError(`device "${this.id}": a ${this.model.family} model cannot drive profile "${this.#profile.id}" (family ${this.#profile.family})`);
    }
    this.#points = this.#profile.points.map((p) => bindPoint(p, this.#profile.transport));
    this.writeSignature();
    this.#unsubscribe = this.unit.onWrite((w) => this.handleWrite(w));
    this.publish(true);
  }

  /** Advances the model to nowMs and refreshes the registers. */
  step(nowMs: number): void {
    this.model.step(nowMs);
    this.publish(false);
  }

  truth(): DeviceTruth {
    const faults = [...this.model.activeFaults()];
    if (this.#wordSwap) faults.push('word-swap');
    const { transport } = this.#profile;
    const values: Record<string, PointValue> = {};
    for (const bound of this.#points) {
      const value = this.#published[bound.point.id];
      // Through the codec and back, so the truth compares exactly with what a master decodes.
      if (value !== undefined) values[bound.point.id] = decodePoint(bound.encoding, encodePoint(bound.encoding, value, transport), transport);
    }
    return { id: this.id, family: this.#profile.family, values, faults };
  }

  /** Family faults and the device-level ones, name → one-line description. */
  listFaults(): Record<string, string> {
    return { ...this.model.faultCatalog, ...DEVICE_FAULTS };
  }

  injectFault(name: string, params: FaultParams = {}): void {
    if (name === 'word-swap') this.#wordSwap = true;
    else if (name === 'reboot') this.model.reboot();
    else if (Object.hasOwn(this.model.faultCatalog, name)) this.model.injectFault(name, params);
    else throw new FaultError(`device "${this.id}": unknown fault "${name}" (known: ${Object.keys(this.listFaults()).join(', ')})`);
    this.publish(true);
  }

  clearFault(name: string): void {
    if (name === 'word-swap') this.#wordSwap = false;
    else if (name === 'reboot') return; // one-shot: nothing to undo
    else if (Object.hasOwn(this.model.faultCatalog, name)) this.model.clearFault(name);
    else throw new FaultError(`device "${this.id}": unknown fault "${name}" (known: ${Object.keys(this.listFaults()).join(', ')})`);
    this.publish(true);
  }

  /** Stops listening to the unit's writes. */
  close(): void {
    this.#unsubscribe();
  }

  /**
   * Encodes the model's values into the bank. Unless forced, only values that changed since the
   * last publish: a site steps thousands of devices several times a second.
   */
  private publish(force: boolean): void {
    const values = this.model.values();
    const { transport } = this.#profile;
    for (const bound of this.#points) {
      const value = values[bound.point.id];
      if (value === undefined || (!force && sameValue(value, this.#published[bound.point.id]))) continue;
      const wire = this.#wordSwap ? bound.swapped : bound.encoding;
      try {
        this.store(bound, encodePoint(wire, value, transport, this.current(bound)));
      } catch (err) {
        throw new Error(`device "${this.id}" (${this.#profile.id}): cannot encode ${JSON.stringify(value)}: ${(err as Error).message}`, { cause: err });
      }
    }
    this.#published = values;
  }

  private current(bound: BoundPoint): number[] {
    const { table, address, span } = bound;
    return table === 'holding' || table === 'input' ? this.unit.bank.getWords(table, address, span) : this.unit.bank.getBits(table, address, span);
  }

  private store(bound: BoundPoint, raw: number[]): void {
    const { table, address } = bound;
    if (table === 'holding' || table === 'input') this.unit.bank.setWords(table, address, raw);
    else this.unit.bank.setBits(table, address, raw);
  }

  /** Model-code registers of identification.signature, so masters can identify the model. */
  private writeSignature(): void {
    const { base } = this.#profile.transport;
    for (const sig of this.#profile.identification.signature) {
      const address = sig.address - base;
      if (sig.table === 'holding' || sig.table === 'input') this.unit.bank.setWords(sig.table, address, [sig.value]);
      else this.unit.bank.setBits(sig.table, address, [sig.value === 0 ? 0 : 1]);
    }
  }

  /** A master wrote registers or coils: decode each point the write touched and tell the model. */
  private handleWrite(w: WriteEvent): void {
    const { transport } = this.#profile;
    const end = w.address + w.values.length;
    const touched = this.#points.filter((b) => b.table === w.table && b.address < end && b.address + b.span > w.address);
    for (const bound of touched) {
      const wire = this.#wordSwap ? bound.swapped : bound.encoding;
      let value: PointValue;
      try {
        value = decodePoint(wire, this.current(bound), transport);
      } catch {
        continue; // a half-written multi-register value the device cannot make sense of
      }
      this.model.write(bound.point.id, labelOf(bound.point, value));
    }
    // The registers now say what the device accepted: a refused write reads back the old value.
    this.publish(true);
  }
}

function sameValue(a: PointValue, b: PointValue | undefined): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return a === b;
  return a.length === b.length && a.every((bit, i) => bit === b[i]);
}

/** Enum values go to models as their label when the profile names the raw value. */
function labelOf(point: Point, value: PointValue): PointValue {
  if (point.enum === undefined || typeof value !== 'number') return value;
  return point.enum[String(value)] ?? value;
}
