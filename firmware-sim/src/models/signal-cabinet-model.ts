import type { PointValue, Profile } from '@edgefleet/device-profiles';
import { CABINET_FAULTS, checkCabinetFaultParams, faultBits } from './cabinet-faults.js';
import type { DeviceModel, FaultParams, ModelValues } from './device-model.js';
import { FaultBook, numberParam } from './fault-book.js';
import { ModelClock, hourOfDay } from './model-clock.js';
import { Prng } from './prng.js';
import { ProfilePoints } from './profile-points.js';
import { TIMING_PLANS, cycleLength, planSplits } from './timing-plans.js';

const SLICE_MS = 100;
const STARTUP_FLASH_MS = 10_000; // controllers flash for a few seconds after power-up before auto
const UPS_FLOAT = 27.2; // V, 24 V lead-acid pack on float charge
const UPS_CUTOFF = 21; // V: the UPS disconnects and the signals go dark
const PREEMPT_MAX_S = 300;

type Mode = 'auto' | 'manual' | 'flash' | 'dark' | 'pre-empt';
type PreemptStatus = 'idle' | 'active' | 'refused' | 'expired';
const WRITABLE_MODES: readonly Mode[] = ['auto', 'manual', 'flash', 'dark'];

const REQUIRED = [
  'mode', 'timing-plan', 'current-phase', 'phase-time-left', 'cycle-second',
  'preempt-phase', 'preempt-duration', 'preempt-request', 'preempt-status', 'conflict-fault',
] as const;

/**
 * A fixed-time signal controller: it serves the phases of its timing plan in order, switches to
 * a newly selected plan at the end of a cycle, obeys flash/auto writes and emergency-vehicle
 * pre-emption (serve one phase for N seconds, reporting whether it obeyed), and goes to flash
 * when its conflict monitor trips.
 */
export class SignalCabinetModel implements DeviceModel {
  readonly family = 'signal-cabinet' as const;
  readonly faultCatalog: Readonly<Record<string, string>>;
  readonly #rng: Prng;
  readonly #clock = new ModelClock();
  readonly #faults: FaultBook;
  #mode: Mode = 'auto';
  #selectedPlan = 1;
  #activePlan = 1;
  #phaseIndex = 0;
  #phaseLeftMs: number;
  #cycleMs = 0;
  #cycles = 0;
  #operatingMs = 0;
  #startupLeftMs = 0;
  #syncOffset = 0;
  #ups = UPS_FLOAT;
  #temperature = 25;
  #preempt = { phase: 0, duration: 0, request: false, status: 'idle' as PreemptStatus, leftMs: 0 };

  constructor(profile: Profile, seed: number) {
    new ProfilePoints(profile, 'signal-cabinet', REQUIRED);
    this.#rng = new Prng(seed);
    this.#faults = new FaultBook(`signal-cabinet model of ${profile.id}`, CABINET_FAULTS);
    this.faultCatalog = this.#faults.catalog();
    // Cabinets on one corridor are not in step: start somewhere in the cycle.
    this.#phaseIndex = this.#rng.int(0, planSplits(1).length - 1);
    this.#phaseLeftMs = (planSplits(1)[this.#phaseIndex] ?? 1) * 1000;
    this.#cycleMs = planSplits(1).slice(0, this.#phaseIndex).reduce((a, b) => a + b, 0) * 1000;
  }

  step(nowMs: number): void {
    this.#clock.advanceTo(nowMs, SLICE_MS, (dt, at) => this.advance(dt, at));
  }

  private advance(dtMs: number, atMs: number): void {
    this.#operatingMs += dtMs;
    this.advancePower(dtMs);
    if (this.#startupLeftMs > 0) {
      this.#startupLeftMs -= dtMs;
      if (this.#startupLeftMs <= 0 && this.#mode === 'flash' && !this.#faults.has('conflict-fault')) this.enterAuto();
    }
    if (this.#mode === 'auto') this.advanceCycle(dtMs);
    else if (this.#mode === 'pre-empt') this.advancePreempt(dtMs);
    const ambient = 15 + 10 * Math.sin(((hourOfDay(atMs) - 9) / 24) * 2 * Math.PI);
    // Electronics add ~12 °C; the cabinet follows with a 30-minute time constant.
    this.#temperature += ((ambient + 12 - this.#temperature) * dtMs) / 1_800_000;
  }

  private advancePower(dtMs: number): void {
    if (this.#faults.has('mains-failure')) {
      const drain = numberParam(this.#faults.params('mains-failure'), 'drain', 0.05, 0, 10);
      this.#ups = Math.max(18, this.#ups - (drain * dtMs) / 60_000);
      if (this.#ups < UPS_CUTOFF) this.#mode = 'dark';
    } else {
      this.#ups = Math.min(UPS_FLOAT, this.#ups + (0.1 * dtMs) / 60_000);
    }
  }

  private advanceCycle(dtMs: number): void {
    this.#phaseLeftMs -= dtMs;
    this.#cycleMs += dtMs;
    while (this.#phaseLeftMs <= 0) this.nextPhase();
  }

  private nextPhase(): void {
    const splits = planSplits(this.#activePlan);
    this.#phaseIndex++;
    if (this.#phaseIndex >= splits.length) {
      // End of cycle: the only moment a new plan may take over without cutting a green short.
      this.#cycles = (this.#cycles + 1) % 2 ** 32;
      this.#activePlan = this.#selectedPlan;
      this.#phaseIndex = 0;
      this.#cycleMs = -this.#phaseLeftMs; // the part of this slice already in the new cycle
      this.#syncOffset = this.#rng.int(-2, 2);
    }
    this.#phaseLeftMs += (planSplits(this.#activePlan)[this.#phaseIndex] ?? 1) * 1000;
  }

  private advancePreempt(dtMs: number): void {
    const p = this.#preempt;
    p.leftMs -= dtMs;
    if (p.leftMs > 0) return;
    p.status = 'expired';
    p.request = false; // the controller drops the request when the hold time is over
    this.resumeAfterPreempt();
  }

  /** Back to the plan, at the phase after the one pre-emption served. */
  private resumeAfterPreempt(): void {
    const splits = planSplits(this.#activePlan);
    this.#mode = 'auto';
    this.#phaseIndex = Math.min(this.#preempt.phase, splits.length) % splits.length;
    this.#phaseLeftMs = (splits[this.#phaseIndex] ?? 1) * 1000;
    this.#cycleMs = splits.slice(0, this.#phaseIndex).reduce((a, b) => a + b, 0) * 1000;
  }

  /** Auto from flash, dark or manual: the cycle starts over at phase 1. */
  private enterAuto(): void {
    this.#mode = 'auto';
    this.#activePlan = this.#selectedPlan;
    this.#phaseIndex = 0;
    this.#phaseLeftMs = (planSplits(this.#activePlan)[0] ?? 1) * 1000;
    this.#cycleMs = 0;
  }

  values(): ModelValues {
    const mode = this.#mode;
    const p = this.#preempt;
    const cycling = mode === 'auto' || mode === 'manual';
    const phase = mode === 'pre-empt' ? p.phase : cycling ? this.#phaseIndex + 1 : 0;
    const leftMs = mode === 'pre-empt' ? p.leftMs : cycling ? this.#phaseLeftMs : 0;
    const onUps = this.#faults.has('mains-failure');
    return {
      mode,
      'timing-plan': this.#selectedPlan,
      'preempt-phase': p.phase,
      'preempt-duration': p.duration,
      'sync-offset': cycling ? this.#syncOffset : 0,
      'preempt-request': p.request,
      'current-phase': phase,
      'phase-time-left': Math.max(0, Math.ceil(leftMs / 1000)),
      'cycle-second': cycling ? Math.floor(this.#cycleMs / 1000) : 0,
      'cycle-length': cycleLength(this.#activePlan),
      'active-plan': this.#activePlan,
      'preempt-status': p.status,
      'red-lamp-failure': faultBits(this.#faults, 'red-lamp-failure', 'group', 1, 8),
      'lamp-failure': faultBits(this.#faults, 'lamp-failure', 'group', 3, 8),
      'detector-fault': faultBits(this.#faults, 'detector-fault', 'detector', 1, 16),
      'ups-battery': this.#ups,
      'cabinet-temp': this.#temperature,
      'cycle-count': this.#cycles,
      'operating-seconds': Math.floor(this.#operatingMs / 1000),
      'door-open': this.#faults.has('door-open'),
      'mains-failure': onUps,
      'on-ups': onUps,
      'conflict-fault': this.#faults.has('conflict-fault'),
    };
  }

  write(pointId: string, value: PointValue): void {
    const p = this.#preempt;
    if (pointId === 'mode') this.writeMode(value);
    else if (pointId === 'timing-plan' && typeof value === 'number' && Object.hasOwn(TIMING_PLANS, value)) {
      this.#selectedPlan = value;
      if (this.#mode !== 'auto' && this.#mode !== 'pre-empt') this.#activePlan = value;
    } else if (pointId === 'preempt-phase' && typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 8) p.phase = value;
    else if (pointId === 'preempt-duration' && typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= PREEMPT_MAX_S) p.duration = value;
    else if (pointId === 'preempt-request' && typeof value === 'boolean') {
      if (value) this.requestPreempt();
      else this.releasePreempt();
    }
  }

  private writeMode(value: PointValue): void {
    const mode = WRITABLE_MODES.find((m) => m === value);
    // Pre-empt is entered by request only; a tripped conflict monitor or a dead UPS keep their mode.
    if (mode === undefined || mode === this.#mode) return;
    if (this.#faults.has('conflict-fault') || (this.#mode === 'dark' && this.#faults.has('mains-failure'))) return;
    if (this.#mode === 'pre-empt') this.#preempt.status = 'idle';
    this.#preempt.request = false;
    this.#startupLeftMs = 0;
    if (mode === 'auto') this.enterAuto();
    else this.#mode = mode;
  }

  private requestPreempt(): void {
    const p = this.#preempt;
    const phases = planSplits(this.#activePlan).length;
    const ready = this.#mode === 'auto' || this.#mode === 'manual' || this.#mode === 'pre-empt';
    if (!ready || p.phase < 1 || p.phase > phases || p.duration < 1) {
      p.status = 'refused';
      p.request = false;
      return;
    }
    p.request = true;
    p.status = 'active';
    p.leftMs = p.duration * 1000;
    this.#mode = 'pre-empt';
  }

  private releasePreempt(): void {
    const p = this.#preempt;
    p.request = false;
    if (this.#mode !== 'pre-empt') return;
    p.status = 'idle';
    this.resumeAfterPreempt();
  }

  injectFault(name: string, params: FaultParams): void {
    checkCabinetFaultParams(name, params);
    this.#faults.inject(name, params);
    if (name === 'conflict-fault') {
      // Conflict monitor: the load switches drop to flash at once, whatever was running.
      if (this.#mode === 'pre-empt') this.#preempt.status = 'idle';
      this.#preempt.request = false;
      this.#mode = 'flash';
    }
  }

  clearFault(name: string): void {
    this.#faults.clear(name);
    // Mains back after the UPS gave up: the controller boots again (startup flash, then auto).
    if (name === 'mains-failure' && this.#mode === 'dark') this.startUp();
  }

  private startUp(): void {
    this.#mode = 'flash';
    this.#startupLeftMs = STARTUP_FLASH_MS;
  }

  activeFaults(): string[] {
    return this.#faults.active();
  }

  reboot(): void {
    this.#cycles = 0;
    this.#operatingMs = 0;
    this.#preempt = { ...this.#preempt, request: false, status: 'idle', leftMs: 0 };
    this.#activePlan = this.#selectedPlan;
    this.startUp();
  }
}
