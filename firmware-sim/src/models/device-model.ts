import type { Family, PointValue } from '@edgefleet/device-profiles';

/** Fault parameters as the control API and tests pass them. */
export type FaultParams = Readonly<Record<string, number | string | boolean>>;

/** Point id → value, in engineering units; enum points may use their labels. */
export type ModelValues = Record<string, PointValue>;

/**
 * The behaviour of one device family. A model keeps the device's physical state, advances it
 * to a time it is given (never the wall clock), and says what each point reads. SimDevice does
 * the register encoding and the device-level faults (word swap, reboot).
 */
export interface DeviceModel {
  readonly family: Family;
  /** Family fault names this model can inject, with a one-line description each. */
  readonly faultCatalog: Readonly<Record<string, string>>;
  /** Advances the state to nowMs (ms since the epoch). The first call only sets the clock. */
  step(nowMs: number): void;
  /** What every point the model drives reads now. */
  values(): ModelValues;
  /** A master wrote this point (decoded; enum points as their label where one exists). */
  write(pointId: string, value: PointValue): void;
  injectFault(name: string, params: FaultParams): void;
  clearFault(name: string): void;
  /** Faults in effect now (one-shot faults such as a meter swap are not listed after they ran). */
  activeFaults(): string[];
  /** The device restarts: RAM counters go to 0, the state machine starts over, settings stay. */
  reboot(): void;
}
