import type { FaultParams } from './device-model.js';

export interface FaultSpec {
  description: string;
  /** Runs once when injected (e.g. a meter swap) and is not listed as active afterwards. */
  oneShot?: boolean;
}

/** Thrown for an unknown fault name or a bad parameter; the message names both. */
export class FaultError extends Error {
  override name = 'FaultError';
}

/** The faults a model knows, and which are active with what parameters. */
export class FaultBook {
  readonly #specs: Readonly<Record<string, FaultSpec>>;
  readonly #active = new Map<string, FaultParams>();
  readonly #owner: string;

  constructor(owner: string, specs: Readonly<Record<string, FaultSpec>>) {
    this.#owner = owner;
    this.#specs = specs;
  }

  /** name → one-line description, for listFaults() and the control API. */
  catalog(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.#specs).map(([name, spec]) => [name, spec.description]));
  }

  /** Checks the name; records it unless it is one-shot. Returns whether it is one-shot. */
  inject(name: string, params: FaultParams): boolean {
    const spec = this.spec(name);
    if (!spec.oneShot) this.#active.set(name, params);
    return spec.oneShot === true;
  }

  clear(name: string): void {
    this.spec(name);
    this.#active.delete(name);
  }

  has(name: string): boolean {
    return this.#active.has(name);
  }

  params(name: string): FaultParams {
    return this.#active.get(name) ?? {};
  }

  active(): string[] {
    return [...this.#active.keys()];
  }

  private spec(name: string): FaultSpec {
    const spec = this.#specs[name];
    if (spec === undefined || !Object.hasOwn(this.#specs, name)) {
      throw new FaultError(`${this.#owner}: unknown fault "${name}" (known: ${Object.keys(this.#specs).join(', ')})`);
    }
    return spec;
  }
}

/** A numeric fault parameter with a default, checked against its range. */
export function numberParam(params: FaultParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new FaultError(`fault parameter "${name}" must be a number ${min}..${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** An integer fault parameter with a default, checked against its range. */
export function intParam(params: FaultParams, name: string, fallback: number, min: number, max: number): number {
  const value = numberParam(params, name, fallback, min, max);
  if (!Number.isInteger(value)) throw new FaultError(`fault parameter "${name}" must be an integer, got ${value}`);
  return value;
}

/** A fault parameter that must be one of a few words. */
export function choiceParam<T extends string>(params: FaultParams, name: string, fallback: T, choices: readonly T[]): T {
  const raw = params[name];
  if (raw === undefined) return fallback;
  const match = choices.find((c) => c === raw);
  if (match === undefined) throw new FaultError(`fault parameter "${name}" must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
  return match;
}
