import type { PointValue, Profile } from '@edgefleet/device-profiles';
import type { DeviceModel, FaultParams, ModelValues } from './device-model.js';
import { FaultBook, numberParam } from './fault-book.js';
import { MS_PER_HOUR, ModelClock, hourOfDay } from './model-clock.js';
import { Prng } from './prng.js';
import { ProfilePoints } from './profile-points.js';
import { WATER_FAULTS, WaterStatusBit, checkWaterFaultParams } from './water-faults.js';

const SLICE_MS = 1000;
// DN50: cross-section π·0.025² m²; 1 m³/h through it is 141 mm/s.
const PIPE_AREA = Math.PI * 0.025 ** 2;
const MEAN_DRAW_MS = 2 * 60_000;
const LOW_BATTERY = 3.1; // V

const REQUIRED = ['total-volume', 'flow-rate', 'status'] as const;

/**
 * Taps, flushes and machines that start per minute, by hour of day: a small residential block.
 * Few enough that even the day's flow stops now and then, as the leak rule expects.
 */
function drawsPerMinute(hour: number): number {
  if (hour < 5) return 0.03; // the odd night-time flush: flow still drops to zero most of the time
  if (hour < 6) return 0.2;
  if (hour < 9) return 1; // morning peak
  if (hour < 17) return 0.5;
  if (hour < 22) return 0.8; // evening peak
  return 0.2;
}

interface Draw {
  rate: number; // m³/h
  leftMs: number;
}

/**
 * An ultrasonic meter on a building's supply: demand is a sum of draws (taps, flushes,
 * machines) that start at a time-of-day rate, so the night's flow drops to zero between rare
 * flushes — which is what a leak rule relies on. Totals only grow (forward and reverse apart).
 */
export class WaterMeterModel implements DeviceModel {
  readonly family = 'water-meter' as const;
  readonly faultCatalog: Readonly<Record<string, string>>;
  readonly #rng: Prng;
  readonly #clock = new ModelClock();
  readonly #faults: FaultBook;
  #draws: Draw[] = [];
  #flow = 0;
  #forward: number;
  #reverse: number;
  #hoursMs: number;
  #serial: number;
  #temperature: number;
  #battery: number;
  #cutoff = 0.01;

  constructor(profile: Profile, seed: number) {
    new ProfilePoints(profile, 'water-meter', REQUIRED);
    this.#rng = new Prng(seed);
    this.#faults = new FaultBook(`water-meter model of ${profile.id}`, WATER_FAULTS);
    this.faultCatalog = this.#faults.catalog();
    // A meter that has been in service a while.
    this.#forward = Math.round(this.#rng.between(1_000, 40_000) * 1000) / 1000;
    this.#reverse = Math.round(this.#rng.between(0, 5) * 1000) / 1000;
    this.#hoursMs = Math.floor(this.#rng.between(2_000, 30_000)) * MS_PER_HOUR;
    this.#serial = this.newSerial();
    this.#temperature = this.#rng.between(9, 13);
    this.#battery = this.#rng.between(3.55, 3.65);
  }

  private newSerial(): number {
    return 2_400_000_000 + this.#rng.int(0, 99_999_999);
  }

  step(nowMs: number): void {
    this.#clock.advanceTo(nowMs, SLICE_MS, (dt, at) => this.advance(dt, at));
  }

  private advance(dtMs: number, atMs: number): void {
    this.#hoursMs += dtMs;
    this.advanceDemand(dtMs, atMs);
    const faults = this.#faults;
    let flow = this.#draws.reduce((sum, d) => sum + d.rate, 0);
    if (faults.has('leak')) flow += numberParam(faults.params('leak'), 'rate', 0.15, 0.001, 10);
    // Reverse flow (back-siphonage) overrides demand: the pressure difference drives it.
    if (faults.has('reverse-flow')) flow = -numberParam(faults.params('reverse-flow'), 'rate', 0.8, 0.001, 40);
    if (faults.has('empty-pipe')) flow = 0; // no water, no ultrasonic path, no measurement
    if (Math.abs(flow) < this.#cutoff) flow = 0;
    this.#flow = flow;
    const volume = (Math.abs(flow) * dtMs) / MS_PER_HOUR;
    if (flow > 0) this.#forward += volume;
    else this.#reverse += volume;
    // Water temperature follows the ground slowly; a freeze pulls it down at 1 °C a minute.
    const target = faults.has('freeze') ? numberParam(faults.params('freeze'), 'temp', 0.5, -5, 4) : 11 + Math.sin((hourOfDay(atMs) / 24) * 2 * Math.PI);
    const rate = faults.has('freeze') ? dtMs / 60_000 : dtMs / 3_600_000;
    this.#temperature += Math.sign(target - this.#temperature) * Math.min(Math.abs(target - this.#temperature), rate);
  }

  /** Ends finished draws and starts new ones (a Poisson process per time of day). */
  private advanceDemand(dtMs: number, atMs: number): void {
    for (const d of this.#draws) d.leftMs -= dtMs;
    this.#draws = this.#draws.filter((d) => d.leftMs > 0);
    const starts = (drawsPerMinute(hourOfDay(atMs)) * dtMs) / 60_000;
    if (this.#rng.chance(starts)) {
      this.#draws.push({ rate: this.#rng.between(0.3, 2.5), leftMs: this.#rng.exponential(MEAN_DRAW_MS) });
    }
  }

  values(): ModelValues {
    const f = this.#faults;
    const battery = f.has('low-battery') ? numberParam(f.params('low-battery'), 'volts', 3.0, 2.5, 3.6) : this.#battery;
    const status = new Array<boolean>(16).fill(false);
    status[WaterStatusBit.EmptyPipe] = f.has('empty-pipe');
    status[WaterStatusBit.ReverseFlow] = this.#flow < 0;
    status[WaterStatusBit.Tamper] = f.has('tamper');
    status[WaterStatusBit.LowBattery] = battery < LOW_BATTERY;
    return {
      'total-volume': this.#forward,
      'reverse-volume': this.#reverse,
      'flow-rate': this.#flow,
      'water-temp': this.#temperature,
      'battery-voltage': battery,
      status,
      'flow-velocity': ((this.#flow / 3600) / PIPE_AREA) * 1000,
      // The litre register is the same total as an integer; it rolls over at 2^32 L.
      'total-litres': Math.floor(this.#forward * 1000) % 2 ** 32,
      'operating-hours': Math.floor(this.#hoursMs / MS_PER_HOUR),
      'signal-quality': f.has('empty-pipe') ? 0 : 92,
      'error-code': f.has('empty-pipe') ? 'no-signal' : 'none',
      'serial-number': this.#serial,
      'low-flow-cutoff': this.#cutoff,
    };
  }

  write(pointId: string, value: PointValue): void {
    if (pointId === 'low-flow-cutoff' && typeof value === 'number' && value >= 0 && value <= 1) this.#cutoff = value;
  }

  injectFault(name: string, params: FaultParams): void {
    checkWaterFaultParams(name, params);
    if (!this.#faults.inject(name, params)) return;
    if (name === 'counter-backwards') {
      // The metrology core loses part of its total: the register goes down.
      this.#forward = Math.max(0, this.#forward - numberParam(params, 'by', 100, 0.001, 1e9));
    } else if (name === 'meter-replaced') {
      this.#serial = this.newSerial();
      this.#forward = 0;
      this.#reverse = 0;
      this.#hoursMs = 0;
    }
  }

  clearFault(name: string): void {
    this.#faults.clear(name);
  }

  activeFaults(): string[] {
    return this.#faults.active();
  }

  reboot(): void {
    // The Modbus module restarts and rebuilds its registers from zero.
    this.#forward = 0;
    this.#reverse = 0;
    this.#hoursMs = 0;
    this.#draws = [];
  }
}
