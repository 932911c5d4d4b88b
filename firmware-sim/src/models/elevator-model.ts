import type { PointValue, Profile } from '@edgefleet/device-profiles';
import type { DeviceModel, FaultParams, ModelValues } from './device-model.js';
import { DEFAULT_FAULT_CODE, ELEVATOR_FAULTS, elevatorFaultCode } from './elevator-faults.js';
import { FaultBook, choiceParam, intParam } from './fault-book.js';
import { MS_PER_DAY, MS_PER_HOUR, ModelClock } from './model-clock.js';
import { Prng } from './prng.js';
import { ProfilePoints } from './profile-points.js';

const FLOOR_HEIGHT = 3.2; // m
const RATED_SPEED = 1.6; // m/s
const OVERSPEED = 2.1; // m/s: a runaway drive, above the governor's 115 % trip (1.84 m/s)
const GOVERNOR_TRIP = 1.84;
const CREEP_SPEED = 0.3; // m/s: re-levelling after a stop between floors
const ACCEL = 0.8; // m/s²
// EN 81-20 §5.12.1.1.4: levelling accuracy ±20 mm.
const LEVEL_TOLERANCE = 0.02;
const DOOR_OPENING_MS = 2500;
const DOOR_DWELL_MS = 4000;
const DOOR_CLOSING_MS = 3000;
const MEAN_CALL_WAIT_MS = 12_000;
const SLICE_MS = 100;
const MODES = ['normal', 'inspection', 'fire-service', 'out-of-service', 'independent'] as const;

/** Faults that stop the car where it is (the drive loses power or the safety chain opens). */
const HALTING = ['entrapment', 'power-failure', 'safety-circuit-open', 'overtravel'] as const;

type Phase = 'idle' | 'opening' | 'open' | 'closing' | 'travel' | 'halted';

interface CarState {
  position: number; // m above floor 0's sill; basements are negative
  speed: number; // m/s, ≥ 0
  direction: 'stopped' | 'up' | 'down';
  target: number; // floor
  creeping: boolean;
  phase: Phase;
  phaseLeftMs: number;
  haltedDoor: 'closed' | 'open';
  callInMs: number;
  mode: string;
  load: number;
  trips: number;
  doorCycles: number;
  runningMs: number;
  motorTemp: number;
  alarmButton: boolean;
}

const REQUIRED = [
  'floor', 'direction', 'moving', 'levelled', 'door-state', 'speed', 'trips', 'mode',
  'alarm-button', 'safety-circuit-open', 'door-lock-open', 'power-failure', 'fault-code',
] as const;

/**
 * A traction lift serving random calls: it travels between floors (basements included) with a
 * trapezoidal speed profile, levels, cycles its doors, counts trips, door cycles and running
 * hours. Faults follow GB/T 24476's taxonomy (see elevator-faults.ts).
 */
export class ElevatorModel implements DeviceModel {
  readonly family = 'elevator' as const;
  readonly faultCatalog: Readonly<Record<string, string>>;
  readonly #rng: Prng;
  readonly #clock = new ModelClock();
  readonly #faults: FaultBook;
  readonly #lowest: number;
  readonly #highest: number;
  #car: CarState;
  #machineRoomTemp = 24;

  constructor(profile: Profile, seed: number) {
    const points = new ProfilePoints(profile, 'elevator', REQUIRED);
    const floors = points.range('floor', -2, 10);
    this.#lowest = Math.ceil(floors.min);
    this.#highest = Math.floor(floors.max);
    if (this.#highest <= this.#lowest) throw new RangeError(`profile "${profile.id}": floor min/max leave no floors to travel`);
    this.#rng = new Prng(seed);
    this.#faults = new FaultBook(`elevator model of ${profile.id}`, ELEVATOR_FAULTS);
    this.faultCatalog = this.#faults.catalog();
    this.#car = this.initialCar(this.#rng.int(Math.max(this.#lowest, 0), this.#highest), 'normal');
  }

  private initialCar(floor: number, mode: string): CarState {
    return {
      position: floor * FLOOR_HEIGHT, speed: 0, direction: 'stopped', target: floor, creeping: false,
      phase: 'idle', phaseLeftMs: 0, haltedDoor: 'closed', callInMs: this.#rng.exponential(MEAN_CALL_WAIT_MS),
      mode, load: 0, trips: 0, doorCycles: 0, runningMs: 0, motorTemp: this.#machineRoomTemp + 8, alarmButton: false,
    };
  }

  step(nowMs: number): void {
    this.#clock.advanceTo(nowMs, SLICE_MS, (dt, at) => this.advance(dt, at));
  }

  private advance(dtMs: number, atMs: number): void {
    const car = this.#car;
    this.#machineRoomTemp = 24 + 3 * Math.sin((2 * Math.PI * (atMs % MS_PER_DAY)) / MS_PER_DAY);
    if (this.isHalted()) this.halt();
    else if (car.phase === 'halted') this.recover();
    else if (car.phase === 'travel') this.travel(dtMs);
    else if (car.phase === 'idle') this.waitForCall(dtMs);
    else this.cycleDoors(dtMs);
    if (car.speed > 0) car.runningMs += dtMs;
    // Motor heats while running, cools toward the machine room otherwise (time constant 20 min).
    const target = this.#machineRoomTemp + (car.speed > 0 ? 45 : 6);
    car.motorTemp += ((target - car.motorTemp) * dtMs) / (20 * 60_000);
  }

  private isHalted(): boolean {
    return HALTING.some((name) => this.#faults.has(name));
  }

  private halt(): void {
    const car = this.#car;
    if (car.phase !== 'halted') {
      car.haltedDoor = car.phase === 'opening' || car.phase === 'open' ? 'open' : 'closed';
      car.phase = 'halted';
    }
    car.speed = 0;
    car.direction = 'stopped';
  }

  /** The halting fault cleared: creep to the nearest floor if outside the door zone. */
  private recover(): void {
    const car = this.#car;
    car.alarmButton = false;
    const nearest = this.clampFloor(Math.round(car.position / FLOOR_HEIGHT));
    if (Math.abs(car.position - nearest * FLOOR_HEIGHT) <= LEVEL_TOLERANCE) {
      car.phase = car.haltedDoor === 'open' ? 'closing' : 'idle';
      car.phaseLeftMs = DOOR_CLOSING_MS;
      return;
    }
    this.depart(nearest, true);
  }

  private waitForCall(dtMs: number): void {
    const car = this.#car;
    if (this.#faults.has('door-lock-open')) return; // the controller will not start with the lock circuit open
    if (car.mode === 'fire-service') {
      // Fire service: return to the main floor and park there.
      if (this.floor() !== 0) this.depart(0, false);
      return;
    }
    if (car.mode !== 'normal') return;
    car.callInMs -= dtMs;
    if (car.callInMs > 0) return;
    car.callInMs = this.#rng.exponential(MEAN_CALL_WAIT_MS);
    const here = this.floor();
    // Lifts serve the main floor far more than any other.
    let target = this.#rng.chance(0.4) ? 0 : this.#rng.int(this.#lowest, this.#highest);
    if (target === here) target = here === this.#highest ? this.#lowest : this.#highest;
    this.depart(this.clampFloor(target), false);
  }

  private depart(target: number, creeping: boolean): void {
    const car = this.#car;
    car.target = target;
    car.creeping = creeping;
    car.phase = 'travel';
    car.direction = target * FLOOR_HEIGHT > car.position ? 'up' : 'down';
    if (!creeping) {
      car.trips++;
      car.load = car.direction === 'up' && this.floor() === 0 ? this.#rng.int(20, 90) : this.#rng.int(0, 50);
    }
  }

  private travel(dtMs: number): void {
    const car = this.#car;
    const dt = dtMs / 1000;
    const targetPos = car.target * FLOOR_HEIGHT;
    const distance = Math.abs(targetPos - car.position);
    const overspeed = this.#faults.has('overspeed');
    const limit = car.creeping ? CREEP_SPEED : overspeed ? OVERSPEED : RATED_SPEED;
    const accel = overspeed ? ACCEL * 2 : ACCEL;
    // Trapezoidal profile: accelerate, cruise, brake so as to stop on the floor.
    const braking = Math.sqrt(2 * accel * distance);
    car.speed = Math.max(0.05, Math.min(limit, car.speed + accel * dt, braking));
    const move = Math.min(car.speed * dt, distance);
    car.position += car.direction === 'up' ? move : -move;
    if (move >= distance) this.arrive();
  }

  private arrive(): void {
    const car = this.#car;
    // A worn brake or levelling sensor stops the car 60 mm short; otherwise within ±5 mm.
    const error = this.#faults.has('stopped-not-level') ? -0.06 : this.#rng.between(-0.005, 0.005);
    car.position = car.target * FLOOR_HEIGHT + error;
    car.speed = 0;
    car.direction = 'stopped';
    car.creeping = false;
    const park = car.mode === 'out-of-service';
    car.phase = park ? 'idle' : 'opening';
    car.phaseLeftMs = DOOR_OPENING_MS;
    if (!park) car.doorCycles++;
  }

  private cycleDoors(dtMs: number): void {
    const car = this.#car;
    car.phaseLeftMs -= dtMs;
    if (car.phaseLeftMs > 0) return;
    if (car.phase === 'opening') {
      car.phase = 'open';
      car.phaseLeftMs = DOOR_DWELL_MS;
    } else if (car.phase === 'open') {
      car.phase = 'closing';
      car.phaseLeftMs = DOOR_CLOSING_MS;
    } else {
      car.phase = 'idle';
      // A door-open-while-moving fault shows at once when the next trip starts without delay.
      if (this.#faults.has('door-open-while-moving') || this.#faults.has('overspeed')) car.callInMs = 0;
    }
  }

  private clampFloor(floor: number): number {
    return Math.min(this.#highest, Math.max(this.#lowest, floor));
  }

  private floor(): number {
    return this.clampFloor(Math.round(this.#car.position / FLOOR_HEIGHT));
  }

  private doorState(): string {
    const car = this.#car;
    if (car.phase === 'travel') return this.#faults.has('door-open-while-moving') ? 'open' : 'closed';
    if (car.phase === 'halted') return car.haltedDoor;
    return car.phase === 'idle' ? 'closed' : car.phase;
  }

  values(): ModelValues {
    const car = this.#car;
    const door = this.doorState();
    const moving = car.speed > 0;
    const nearest = this.floor();
    const levelled = !moving && Math.abs(car.position - nearest * FLOOR_HEIGHT) <= LEVEL_TOLERANCE;
    const overtravel = this.#faults.has('overtravel') ? choiceParam(this.#faults.params('overtravel'), 'side', 'top', ['top', 'bottom']) : undefined;
    return {
      floor: nearest,
      direction: car.direction,
      moving,
      levelled,
      'alarm-button': car.alarmButton,
      // The final limit switch sits in the safety chain: overtravel opens it too.
      'safety-circuit-open': this.#faults.has('safety-circuit-open') || overtravel !== undefined,
      'door-lock-open': door !== 'closed' || this.#faults.has('door-lock-open'),
      'power-failure': this.#faults.has('power-failure'),
      'overtravel-top': overtravel === 'top',
      'overtravel-bottom': overtravel === 'bottom',
      overspeed: this.#faults.has('overspeed') && car.speed > GOVERNOR_TRIP,
      'door-state': door,
      speed: car.speed,
      'fault-code': elevatorFaultCode(this.#faults),
      load: car.load,
      trips: car.trips,
      'running-hours': car.runningMs / MS_PER_HOUR,
      'motor-temp': car.motorTemp,
      'machine-room-temp': this.#machineRoomTemp,
      'door-cycles': car.doorCycles,
      mode: car.mode,
    };
  }

  write(pointId: string, value: PointValue): void {
    if (pointId !== 'mode') return; // other points are read-only in this model
    const mode = MODES.find((m) => m === value);
    if (mode !== undefined) this.#car.mode = mode;
  }

  injectFault(name: string, params: FaultParams): void {
    // Check parameters before recording the fault, so a bad call changes nothing.
    if (name === 'overtravel') choiceParam(params, 'side', 'top', ['top', 'bottom']);
    if (name === 'fault-code') intParam(params, 'code', DEFAULT_FAULT_CODE, 1, 0xffff);
    this.#faults.inject(name, params);
    const car = this.#car;
    if (this.isHalted()) this.halt();
    if (name === 'entrapment') {
      // Stopped mid-shaft, doors closed, a passenger presses the alarm button.
      const floor = this.floor();
      const towards = floor < this.#highest ? 1 : -1;
      car.position = (floor + 0.45 * towards) * FLOOR_HEIGHT;
      car.haltedDoor = 'closed';
      car.alarmButton = true;
    } else if (name === 'overtravel') {
      const side = choiceParam(params, 'side', 'top', ['top', 'bottom']);
      car.position = side === 'top' ? this.#highest * FLOOR_HEIGHT + 0.25 : this.#lowest * FLOOR_HEIGHT - 0.25;
      car.haltedDoor = 'closed';
    } else if (car.phase === 'idle') {
      car.callInMs = 0; // show motion-related faults on the next trip, now
    }
  }

  clearFault(name: string): void {
    this.#faults.clear(name);
  }

  activeFaults(): string[] {
    return this.#faults.active();
  }

  reboot(): void {
    const floor = this.floor();
    const position = this.#car.position;
    this.#car = this.initialCar(floor, this.#car.mode);
    // The car is where it is; the controller just lost its RAM counters.
    this.#car.position = position;
    if (this.isHalted()) this.halt();
    else if (Math.abs(position - floor * FLOOR_HEIGHT) > LEVEL_TOLERANCE) this.#car.phase = 'halted';
  }
}
