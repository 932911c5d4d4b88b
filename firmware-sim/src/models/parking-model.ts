import type { PointValue, Profile } from '@edgefleet/device-profiles';
import type { DeviceModel, FaultParams, ModelValues } from './device-model.js';
import { FaultBook, intParam, numberParam } from './fault-book.js';
import type { FaultSpec } from './fault-book.js';
import { ModelClock, hourOfDay } from './model-clock.js';
import { Prng } from './prng.js';
import { ProfilePoints } from './profile-points.js';

const SLICE_MS = 1000;
const MEAN_STAY_MS = 2 * 3_600_000;
const NOMINAL_SUPPLY = 24.1; // V
const SIGN_MODES = ['auto', 'force-full', 'force-open', 'off'] as const;

const PARKING_FAULTS: Readonly<Record<string, FaultSpec>> = {
  'sensor-faults': { description: 'N bay sensors fail and report their bays free (param count, default 12)' },
  full: { description: 'a rush of cars fills every bay; nobody leaves while the fault lasts' },
  'low-supply': { description: 'controller supply sags (param volts, default 20.5)' },
};

const REQUIRED = ['bay-occupied', 'free-count', 'occupied-count', 'entry-count', 'exit-count'] as const;

/**
 * Arrivals per hour by hour of day: a city-centre car park, quiet at night, busy 8–18 h.
 * With a mean stay of 2 h the zone fills around midday, as real ones do.
 */
function arrivalsPerHour(hour: number): number {
  if (hour < 6) return 4;
  if (hour < 8) return 30;
  if (hour < 18) return 70;
  if (hour < 22) return 25;
  return 8;
}

/**
 * A car-park guidance zone: cars arrive (Poisson, by time of day) and take a random free bay,
 * stay an exponentially distributed time and leave. Bay sensors report occupancy; a faulty
 * sensor reports its bay free. Counts and counters follow from the bays.
 */
export class ParkingModel implements DeviceModel {
  readonly family = 'parking' as const;
  readonly faultCatalog: Readonly<Record<string, string>>;
  readonly #rng: Prng;
  readonly #clock = new ModelClock();
  readonly #faults: FaultBook;
  readonly #bays: number;
  readonly #occupied: boolean[];
  #faulty: boolean[];
  #entries = 0;
  #exits = 0;
  #uptimeMs = 0;
  #supply = NOMINAL_SUPPLY;
  #temperature = 18;
  #fullThreshold = 0;
  #signMode: string = 'auto';

  constructor(profile: Profile, seed: number) {
    const points = new ProfilePoints(profile, 'parking', REQUIRED);
    this.#bays = points.bitCount('bay-occupied');
    if (points.has('bay-sensor-fault') && points.bitCount('bay-sensor-fault') < this.#bays) {
      throw new RangeError(`profile "${profile.id}": bay-sensor-fault has fewer bits than bay-occupied`);
    }
    this.#rng = new Prng(seed);
    this.#faults = new FaultBook(`parking model of ${profile.id}`, PARKING_FAULTS);
    this.faultCatalog = this.#faults.catalog();
    // The controller starts with the zone partly occupied: cars do not leave when it reboots.
    const initialShare = this.#rng.between(0.2, 0.6);
    this.#occupied = Array.from({ length: this.#bays }, () => this.#rng.chance(initialShare));
    this.#faulty = new Array<boolean>(this.#bays).fill(false);
  }

  step(nowMs: number): void {
    this.#clock.advanceTo(nowMs, SLICE_MS, (dt, at) => this.advance(dt, at));
  }

  private advance(dtMs: number, atMs: number): void {
    this.#uptimeMs += dtMs;
    const rush = this.#faults.has('full');
    const arrivalProbability = rush ? 1 : (arrivalsPerHour(hourOfDay(atMs)) * dtMs) / 3_600_000;
    if (this.#rng.chance(arrivalProbability)) this.arrive();
    if (rush && this.occupiedBays() < this.#bays) this.arrive();
    if (!rush) this.departures(dtMs);
    const sag = this.#faults.has('low-supply') ? numberParam(this.#faults.params('low-supply'), 'volts', 20.5, 0, 32) : NOMINAL_SUPPLY;
    // Supply settles toward its level in a few seconds, with a little ripple.
    this.#supply += (sag - this.#supply) * Math.min(1, dtMs / 3000) + this.#rng.between(-0.01, 0.01);
    const ambient = 12 + 8 * Math.sin(((hourOfDay(atMs) - 9) / 24) * 2 * Math.PI);
    this.#temperature += ((ambient + 6 - this.#temperature) * dtMs) / 1_800_000;
  }

  private arrive(): void {
    const free = this.#occupied.flatMap((taken, bay) => (taken ? [] : [bay]));
    if (free.length === 0) return; // the zone is full: the car drives on to another level
    this.#occupied[this.#rng.pick(free)] = true;
    this.#entries = (this.#entries + 1) % 2 ** 32;
  }

  private departures(dtMs: number): void {
    const leave = dtMs / MEAN_STAY_MS;
    for (let bay = 0; bay < this.#bays; bay++) {
      if (this.#occupied[bay] && this.#rng.chance(leave)) {
        this.#occupied[bay] = false;
        this.#exits = (this.#exits + 1) % 2 ** 32;
      }
    }
  }

  private occupiedBays(): number {
    return this.#occupied.filter(Boolean).length;
  }

  values(): ModelValues {
    // A faulty sensor reports its bay free, so the sign may send cars to an occupied bay.
    const reported = this.#occupied.map((taken, bay) => taken && !this.#faulty[bay]);
    const occupied = reported.filter(Boolean).length;
    const faulty = this.#faulty.filter(Boolean).length;
    const free = this.#bays - occupied;
    const status = new Array<boolean>(16).fill(false);
    // Bit 2: the controller switches to its backup battery when the supply sags below 21 V.
    status[2] = this.#supply < 21;
    return {
      'bay-occupied': reported,
      'bay-sensor-fault': [...this.#faulty],
      'free-count': free,
      'occupied-count': occupied,
      'bays-configured': this.#bays,
      'faulty-sensors': faulty,
      'supply-voltage': this.#supply,
      'entry-count': this.#entries,
      'exit-count': this.#exits,
      'controller-temp': this.#temperature,
      status,
      occupancy: (occupied / this.#bays) * 100,
      uptime: Math.floor(this.#uptimeMs / 1000),
      'full-threshold': this.#fullThreshold,
      'sign-mode': this.#signMode,
    };
  }

  write(pointId: string, value: PointValue): void {
    if (pointId === 'full-threshold' && typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 20) {
      this.#fullThreshold = value;
    }
    if (pointId === 'sign-mode') {
      const mode = SIGN_MODES.find((m) => m === value);
      if (mode !== undefined) this.#signMode = mode;
    }
  }

  injectFault(name: string, params: FaultParams): void {
    if (name === 'sensor-faults') {
      const count = intParam(params, 'count', 12, 1, this.#bays);
      this.#faults.inject(name, params);
      const bays = Array.from({ length: this.#bays }, (_, bay) => bay);
      this.#faulty = new Array<boolean>(this.#bays).fill(false);
      for (let i = 0; i < count; i++) {
        const pick = this.#rng.int(0, bays.length - 1);
        const [bay] = bays.splice(pick, 1);
        if (bay !== undefined) this.#faulty[bay] = true;
      }
      return;
    }
    if (name === 'low-supply') numberParam(params, 'volts', 20.5, 0, 32);
    this.#faults.inject(name, params);
    if (name === 'low-supply') this.#supply = numberParam(params, 'volts', 20.5, 0, 32);
  }

  clearFault(name: string): void {
    this.#faults.clear(name);
    if (name === 'sensor-faults') this.#faulty = new Array<boolean>(this.#bays).fill(false);
  }

  activeFaults(): string[] {
    return this.#faults.active();
  }

  reboot(): void {
    this.#entries = 0;
    this.#exits = 0;
    this.#uptimeMs = 0;
  }
}
