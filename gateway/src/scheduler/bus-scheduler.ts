import { durationMs } from '@edgefleet/device-profiles';
import type { Bus } from '@edgefleet/protocol';
import type { ModbusTransport } from '../modbus/modbus-transport.js';
import { BusStats } from './bus-stats.js';
import type { BusStatsSnapshot } from './bus-stats.js';
import type { CancelTimer, Clock } from './clock.js';
import { LaneQueue } from './lane-queue.js';
import type { Lane } from './lane-queue.js';
import { bitsPerChar, t35Ms } from './line-silence.js';
import { SchedulerError } from './scheduler-error.js';

/** One Modbus transaction for one device. */
export interface BusJob<T> {
  device: string;
  lane: Lane;
  run(transport: ModbusTransport): Promise<T>;
  /** A re-probe of an offline device: its bus time counts towards the probe share. */
  probe?: boolean;
}

export interface BusSchedulerDeps {
  transport: ModbusTransport;
  /** Monotonic clock (monotonicClock in production): gaps are fractions of a millisecond. */
  clock: Clock;
}

export interface BusSchedulerOptions {
  /** Dispatches a lower poll lane may be passed over before it gets one (LaneQueue). */
  starvationLimit?: number;
}

interface Queued {
  job: BusJob<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** Silence after every transaction and transactions in flight at once, from the bus config. */
export function busTiming(bus: Bus): { silenceMs: number; maxConcurrent: number } {
  if (bus.kind === 'tcp') return { silenceMs: 0, maxConcurrent: bus.maxConcurrent };
  const bits = bitsPerChar({ dataBits: bus.dataBits, parity: bus.parity, stopBits: bus.stopBits });
  return { silenceMs: t35Ms(bus.baud, bits) + durationMs(bus.gap), maxConcurrent: 1 };
}

/**
 * One per bus. RTU: one transaction in flight (Modbus over Serial Line v1.02 §2.1: a single
 * master talks to one slave at a time) with t3.5 plus the configured gap of silence between the
 * end of one transaction and the start of the next. TCP: up to maxConcurrent in parallel. Either
 * way a device has at most one transaction in flight and waits its profile's minRequestGap after
 * it, while other devices may use the bus meanwhile. Lanes: see LaneQueue.
 */
export class BusScheduler {
  readonly busId: string;
  readonly kind: 'rtu' | 'tcp';
  readonly #deps: BusSchedulerDeps;
  readonly #silenceMs: number;
  readonly #maxConcurrent: number;
  readonly #queue: LaneQueue<Queued>;
  readonly #stats = new BusStats();
  readonly #deviceGapMs = new Map<string, number>();
  readonly #deviceFreeAt = new Map<string, number>();
  readonly #busyDevices = new Set<string>();
  readonly #inFlight = new Set<Promise<void>>();
  #busFreeAt = -Infinity;
  #timer: CancelTimer | undefined;
  #timerAt = Infinity;
  #closed = false;

  constructor(bus: Bus, deps: BusSchedulerDeps, opts: BusSchedulerOptions = {}) {
    if (deps.transport.busId !== bus.id) throw new RangeError(`BusScheduler ${bus.id}: transport belongs to bus "${deps.transport.busId}"`);
    this.busId = bus.id;
    this.kind = bus.kind;
    this.#deps = deps;
    const timing = busTiming(bus);
    this.#silenceMs = timing.silenceMs;
    this.#maxConcurrent = timing.maxConcurrent;
    this.#queue = new LaneQueue(opts.starvationLimit);
  }

  get transport(): ModbusTransport {
    return this.#deps.transport;
  }

  /** Silence kept after each transaction (RTU: t3.5 + gap; TCP: 0). */
  get silenceMs(): number {
    return this.#silenceMs;
  }

  /** The device's minimum pause between the end of one request and the start of its next. */
  setDeviceGap(device: string, ms: number): void {
    if (ms > 0) this.#deviceGapMs.set(device, ms);
    else this.#deviceGapMs.delete(device);
  }

  /** Forgets a removed device's gap settings. Queued jobs of it still run (or are drained by close). */
  forgetDevice(device: string): void {
    this.#deviceGapMs.delete(device);
    this.#deviceFreeAt.delete(device);
  }

  /** Queues a job; resolves or rejects with what its run() does, or SCHEDULER_CLOSED. */
  submit<T>(job: BusJob<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new SchedulerError('SCHEDULER_CLOSED', `bus ${this.busId}: scheduler is closed`));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push(job.lane, { job, resolve: resolve as (v: unknown) => void, reject });
      this.#pump();
    });
  }

  get queued(): number {
    return this.#queue.size;
  }

  stats(): BusStatsSnapshot {
    return this.#stats.snapshot(this.#deps.clock.now());
  }

  /** Refuses new jobs, rejects queued ones and resolves once in-flight transactions have ended. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cancelTimer();
    for (const q of this.#queue.drain()) q.reject(new SchedulerError('SCHEDULER_CLOSED', `bus ${this.busId}: scheduler closed before the job ran`));
    await Promise.all([...this.#inFlight]);
  }

  #pump(): void {
    if (this.#closed) return;
    while (this.#busyDevices.size < this.#maxConcurrent) {
      const now = this.#deps.clock.now();
      if (now < this.#busFreeAt) return this.#wakeAt(this.#busFreeAt);
      const picked = this.#queue.take((q) => this.#isReady(q.job.device, now));
      if (picked === undefined) return this.#wakeForDevices(now);
      this.#start(picked.item, now);
    }
  }

  #isReady(device: string, now: number): boolean {
    return !this.#busyDevices.has(device) && now >= (this.#deviceFreeAt.get(device) ?? -Infinity);
  }

  /** Nothing is ready now: wake when the first device waiting out its gap may go again. */
  #wakeForDevices(now: number): void {
    let earliest = Infinity;
    for (const [device, at] of this.#deviceFreeAt) {
      if (at > now && at < earliest && !this.#busyDevices.has(device)) earliest = at;
    }
    if (earliest < Infinity && this.#queue.size > 0) this.#wakeAt(earliest);
  }

  #wakeAt(at: number): void {
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    this.#cancelTimer();
    this.#timerAt = at;
    this.#timer = this.#deps.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      this.#pump();
    }, at - this.#deps.clock.now());
  }

  #cancelTimer(): void {
    this.#timer?.();
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  #start(q: Queued, startedAt: number): void {
    const { job } = q;
    this.#busyDevices.add(job.device);
    // Started synchronously (the executor catches a synchronous throw): a microtask hop here
    // let other continuations run between the bus going free and the next request going out.
    const done = new Promise<unknown>((resolve) => resolve(job.run(this.#deps.transport)))
      .then(
        (value) => this.#finish(q, startedAt, undefined, () => q.resolve(value)),
        (err: unknown) => this.#finish(q, startedAt, errorCodeOf(err), () => q.reject(err)),
      );
    this.#inFlight.add(done);
    void done.finally(() => this.#inFlight.delete(done));
  }

  #finish(q: Queued, startedAt: number, errorCode: string | undefined, settle: () => void): void {
    const endedAt = this.#deps.clock.now();
    const { device, probe } = q.job;
    this.#busyDevices.delete(device);
    this.#busFreeAt = endedAt + this.#silenceMs;
    const gap = this.#deviceGapMs.get(device);
    if (gap !== undefined) this.#deviceFreeAt.set(device, endedAt + gap);
    else this.#deviceFreeAt.delete(device);
    this.#stats.record({ startedAt, endedAt, errorCode, probe });
    // Next request first, then the finished job's caller: the bus never waits on decoding.
    this.#pump();
    settle();
  }
}

/** The error's `code` (ModbusError, SchedulerError), or UNKNOWN for anything else. */
export function errorCodeOf(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : 'UNKNOWN';
}
