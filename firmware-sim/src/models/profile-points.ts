import type { Point, Profile } from '@edgefleet/device-profiles';

/** Thrown at construction when a profile lacks what a behaviour model needs. */
export class ModelProfileError extends Error {
  override name = 'ModelProfileError';
}

/**
 * The points a model drives, found by id. Fails at construction, naming the profile and every
 * missing point, rather than leaving registers at 0 at run time.
 */
export class ProfilePoints {
  readonly #byId: ReadonlyMap<string, Point>;
  readonly #profile: Profile;
  readonly #model: string;

  constructor(profile: Profile, model: string, required: readonly string[]) {
    this.#profile = profile;
    this.#model = model;
    this.#byId = new Map(profile.points.map((p) => [p.id, p]));
    const missing = required.filter((id) => !this.#byId.has(id));
    if (missing.length > 0) {
      throw new ModelProfileError(`profile "${profile.id}" lacks point(s) ${missing.join(', ')} that the ${model} model needs`);
    }
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  get(id: string): Point {
    const point = this.#byId.get(id);
    if (point === undefined) throw new ModelProfileError(`profile "${this.#profile.id}" has no point "${id}" (${this.#model} model)`);
    return point;
  }

  /** Bit count of a bits point; fails clearly if the point is not a bits point. */
  bitCount(id: string): number {
    const point = this.get(id);
    if (point.type !== 'bits' || point.count === undefined) {
      throw new ModelProfileError(`profile "${this.#profile.id}": point "${id}" must be a bits point with a count for the ${this.#model} model`);
    }
    return point.count;
  }

  /** The point's plausible range (min/max) where the profile gives one, else the fallbacks. */
  range(id: string, fallbackMin: number, fallbackMax: number): { min: number; max: number } {
    const point = this.#byId.get(id);
    return { min: point?.min ?? fallbackMin, max: point?.max ?? fallbackMax };
  }
}
