import type { PointValue, Profile } from '@edgefleet/device-profiles';
import type { DeviceModel, FaultParams, ModelValues } from './device-model.js';
import { FaultBook } from './fault-book.js';

/** A value of the right shape for a point whose registers are all zero. */
function zeroValue(type: string, count: number | undefined): PointValue {
  if (type === 'bool') return false;
  if (type === 'bits') return new Array<boolean>(count ?? 0).fill(false);
  if (type === 'string') return '';
  return 0;
}

/**
 * For profiles without a behaviour of their own (family generic, or a model nobody wrote yet):
 * every point holds the last value a master wrote, starting from zero. No family faults.
 */
export class GenericModel implements DeviceModel {
  readonly family = 'generic' as const;
  readonly faultCatalog: Readonly<Record<string, string>> = {};
  readonly #faults: FaultBook;
  readonly #values: ModelValues;

  constructor(profile: Profile) {
    this.#faults = new FaultBook(`generic model of ${profile.id}`, {});
    this.#values = Object.fromEntries(profile.points.map((p) => [p.id, zeroValue(p.type, p.count)]));
  }

  step(_nowMs: number): void {
    // Nothing moves on its own.
  }

  values(): ModelValues {
    return { ...this.#values };
  }

  write(pointId: string, value: PointValue): void {
    if (Object.hasOwn(this.#values, pointId)) this.#values[pointId] = value;
  }

  injectFault(name: string, params: FaultParams): void {
    this.#faults.inject(name, params);
  }

  clearFault(name: string): void {
    this.#faults.clear(name);
  }

  activeFaults(): string[] {
    return [];
  }

  reboot(): void {
    // Holding registers of a generic device are its settings: they survive a restart.
  }
}
