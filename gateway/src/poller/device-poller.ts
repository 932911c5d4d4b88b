import type { Point, PollClass, Profile, ReadRequest } from '@edgefleet/device-profiles';
import type { Device, LearnedLimits } from '@edgefleet/protocol';
import type { Logger } from 'pino';
import type { ActiveAlarmsStore } from '../alarms/active-alarms-store.js';
import { DeviceAlarms } from '../alarms/device-alarms.js';
import type { ModbusTransport } from '../modbus/modbus-transport.js';
import type { NewEvent, NewReading } from '../outbox/outbox-types.js';
import type { BusScheduler } from '../scheduler/bus-scheduler.js';
import { initialBreaker, recordAnswer, recordNoAnswer } from '../scheduler/circuit-breaker.js';
import type { BreakerConfig, BreakerState } from '../scheduler/circuit-breaker.js';
import type { CancelTimer, Clock } from '../scheduler/clock.js';
import type { Lane } from '../scheduler/lane-queue.js';
import type { ExecRead } from './adaptive-read.js';
import type { BusMonitor } from './bus-monitor.js';
import { DevicePlan } from './device-plan.js';
import type { Learning } from './learned-limits.js';
import { limitsKey } from './limits-store.js';
import type { LimitsStore } from './limits-store.js';
import { failureOf, isNoAnswer } from './modbus-failure.js';
import type { Failure } from './modbus-failure.js';
import { PointReporter } from './point-reporter.js';
import { readClass } from './read-class.js';
import type { Observation } from './point-reporter.js';
import type { DeviceHealth, PollerSinks } from './poller-types.js';
import { isSnapshotDue } from './report-by-exception.js';

export const POLL_CLASSES: readonly PollClass[] = ['fast', 'normal', 'slow'];

export interface DevicePollerDeps {
  clock: Clock;
  scheduler: BusScheduler;
  monitor: BusMonitor;
  sinks: PollerSinks;
  store: LimitsStore;
  /** Raised alarms across restarts; absent: they live in memory only (tests). */
  alarmStore?: ActiveAlarmsStore;
  logger: Logger;
  random: () => number;
}

export interface DevicePollerOptions {
  device: Device;
  profile: Profile;
  intervals: Record<PollClass, number>;
  snapshotMs: number;
  breaker: BreakerConfig;
  timeoutMs: number;
}

interface ClassState {
  cls: PollClass;
  intervalMs: number;
  points: Point[];
  cancel?: CancelTimer;
  nextAt: number;
  running: boolean;
  missed: boolean;
  lastSnapshotAt?: number;
}

/**
 * Polls one device: a timer per poll class, each class's points planned separately (with the
 * learned limits), read through the bus scheduler in the class's lane, decoded, reported by
 * exception, and fed to the alarm rules. A circuit breaker takes a dead device off the bus
 * apart from one small probe read per backoff step.
 */
export class DevicePoller {
  readonly id: string;
  readonly options: DevicePollerOptions;
  readonly #deps: DevicePollerDeps;
  readonly #classes: ClassState[];
  readonly #reporter: PointReporter;
  readonly #alarms: DeviceAlarms;
  readonly #cycles = new Set<Promise<void>>();
  readonly #plan: DevicePlan;
  #breaker: BreakerState = initialBreaker();
  #everAnswered = false;
  /** False while the device answers nothing but exceptions (see SplitPolicy). */
  #splitOnException = true;
  #probing = false;
  #cancelProbe: CancelTimer | undefined;
  #stopped = true;
  #polls = 0;
  #failures = 0;
  #lastGoodAt: number | undefined;

  constructor(options: DevicePollerOptions, deps: DevicePollerDeps) {
    this.id = options.device.id;
    this.options = options;
    this.#deps = deps;
    this.#reporter = new PointReporter(this.id);
    const alarmStore = deps.alarmStore;
    this.#alarms = new DeviceAlarms(this.id, options.profile, alarmStore && {
      store: alarmStore,
      key: limitsKey(this.id, options.profile),
      warn: (err) => deps.logger.warn({ err, device: this.id }, 'cannot persist raised alarms; a restart may raise them again'),
    });
    this.#classes = POLL_CLASSES.map((cls) => ({
      cls,
      intervalMs: options.intervals[cls],
      points: options.profile.points.filter((p) => p.poll === cls),
      nextAt: 0,
      running: false,
      missed: false,
    })).filter((c) => c.points.length > 0);
    this.#plan = new DevicePlan(options.profile, new Map(this.#classes.map((c) => [c.cls, c.points])));
  }

  async start(): Promise<void> {
    this.#plan.restore(await this.#deps.store.load(limitsKey(this.id, this.options.profile)));
    await this.#alarms.load();
    this.#stopped = false;
    const now = this.#deps.clock.now();
    for (const st of this.#classes) {
      st.nextAt = now;
      this.#schedule(st);
    }
  }

  /** Stops the timers and waits for cycles in progress (their outputs are dropped). */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const st of this.#classes) st.cancel?.();
    this.#cancelProbe?.();
    await Promise.all([...this.#cycles]);
  }

  /** Runs fn on the device's bus in the command lane, ahead of all polling. */
  run<T>(fn: (transport: ModbusTransport) => Promise<T>, lane: Lane = 'command'): Promise<T> {
    return this.#deps.scheduler.submit({ device: this.id, lane, run: fn });
  }

  get learned(): LearnedLimits | undefined {
    return this.#plan.learned;
  }

  /** Read plans per class (for health and tests). */
  plans(): Partial<Record<PollClass, ReadRequest[]>> {
    return Object.fromEntries(this.#classes.map((c) => [c.cls, this.#plan.plan(c.cls)]));
  }

  health(): DeviceHealth {
    const state = this.#breaker.status === 'open' ? 'offline' : this.#everAnswered ? 'online' : 'unknown';
    const { device } = this.options;
    const h: DeviceHealth = { id: this.id, bus: device.bus, profile: device.profile, unit: device.unit, state, polls: this.#polls, failures: this.#failures };
    if (device.name !== undefined) h.name = device.name;
    if (device.location !== undefined) h.location = device.location;
    if (this.#lastGoodAt !== undefined) h.lastGoodAt = Math.round(this.#lastGoodAt);
    if (this.#breaker.status === 'open') h.nextProbeAt = Math.round(this.#breaker.nextProbeAt);
    if (this.#plan.learned !== undefined) h.learned = this.#plan.learned;
    return h;
  }

  /** The bus came back: probe offline devices now rather than at the end of their backoff. */
  probeSoon(): void {
    if (this.#breaker.status !== 'open') return;
    this.#breaker = { ...this.#breaker, nextProbeAt: this.#deps.clock.now() };
    this.#scheduleProbe();
  }

  /** While open, probes run on their own timer at the breaker's backoff, not on the class ticks. */
  #scheduleProbe(): void {
    this.#cancelProbe?.();
    this.#cancelProbe = undefined;
    if (this.#stopped || this.#breaker.status !== 'open') return;
    this.#cancelProbe = this.#deps.clock.setTimeout(() => {
      this.#cancelProbe = undefined;
      if (this.#stopped || this.#probing) return;
      const probe = this.#probe().catch((err: unknown) => this.#deps.logger.error({ err, device: this.id }, 'probe failed'));
      this.#cycles.add(probe);
      void probe.finally(() => this.#cycles.delete(probe));
    }, this.#breaker.nextProbeAt - this.#deps.clock.now());
  }

  /** Timestamps on the wire are whole epoch milliseconds (protocol EpochMs). */
  #epochMs(): number {
    return Math.round(this.#deps.clock.now());
  }

  #schedule(st: ClassState): void {
    st.cancel?.();
    st.cancel = this.#deps.clock.setTimeout(() => this.#tick(st), st.nextAt - this.#deps.clock.now());
  }

  #tick(st: ClassState): void {
    if (this.#stopped) return;
    const now = this.#deps.clock.now();
    // Fixed rate without pile-up: a late cycle does not cause a burst of catch-up cycles.
    st.nextAt = Math.max(st.nextAt + st.intervalMs, now);
    this.#schedule(st);
    const stale = this.#reporter.checkStale(st.points, Math.round(now), st.intervalMs);
    if (stale.length > 0) this.#emit(stale, stale, [], Math.round(now));
    this.#kick(st);
  }

  #kick(st: ClassState): void {
    if (this.#stopped) return;
    if (st.running) {
      st.missed = true;
      return;
    }
    st.running = true;
    const cycle = this.#runCycle(st)
      .catch((err: unknown) => this.#deps.logger.error({ err, device: this.id }, 'poll cycle failed'))
      .finally(() => {
        st.running = false;
        this.#cycles.delete(cycle);
        if (st.missed && !this.#stopped) {
          st.missed = false;
          this.#kick(st);
        }
      });
    this.#cycles.add(cycle);
  }

  async #runCycle(st: ClassState): Promise<void> {
    if (this.#breaker.status === 'closed') return this.#poll(st);
  }

  #exec(lane: Lane, probe = false): ExecRead {
    const { unit } = this.options.device;
    return (r) =>
      this.#deps.scheduler.submit({
        device: this.id,
        lane,
        probe,
        run: async (t) => {
          const words = await t.read(unit, r.table, r.address, r.count, this.options.timeoutMs);
          return { words, at: this.#epochMs() };
        },
      });
  }

  async #poll(st: ClassState): Promise<void> {
    // Snapshot timing from the cycle's start: ticks are fixed-rate, completion times jitter.
    const startedAt = this.#deps.clock.now();
    const { observations, learning, answered, excepted, noAnswer, largest } = await readClass(this.#plan.plan(st.cls), st.points, {
      exec: this.#exec(st.cls),
      transport: this.options.profile.transport,
      knownAlive: this.#everAnswered && this.#breaker.failures === 0,
      splitOnException: this.#splitOnException,
      now: () => this.#epochMs(),
      onDecodeError: (point, err) => this.#deps.logger.warn({ err, device: this.id, point: point.id }, 'cannot decode point'),
    });
    if (this.#stopped) return;
    const now = this.#epochMs();
    this.#polls++;
    const events: NewEvent[] = [];
    // Learn only from a device that is otherwise alive: a device answering exception 2 to
    // everything (a fault, a wrong unit id) must not have every point recorded as a hole.
    if (answered) events.push(...this.#learn(learning, largest, now));
    const full = isSnapshotDue(st.lastSnapshotAt, startedAt, this.options.snapshotMs);
    if (full && answered) st.lastSnapshotAt = startedAt;
    this.#splitOnException = answered || !excepted;
    if (answered || excepted) events.push(...this.#answered(now));
    else if (noAnswer !== undefined) {
      this.#failures++;
      events.push(...this.#noAnswer(noAnswer, now, observations));
    }
    const { send, all } = this.#reporter.observe(observations, full);
    events.push(...this.#deps.monitor.tick(now));
    this.#emit(send, all, events, now);
  }

  async #probe(): Promise<void> {
    const request = this.#plan.probeRequest();
    if (request === undefined) return;
    this.#probing = true;
    let failure: Failure | undefined;
    try {
      await this.#exec('slow', true)(request);
    } catch (err) {
      failure = failureOf(err);
    } finally {
      this.#probing = false;
    }
    if (this.#stopped) return;
    const now = this.#epochMs();
    this.#polls++;
    if (failure !== undefined && isNoAnswer(failure)) {
      this.#failures++;
      this.#breaker = recordNoAnswer(this.options.breaker, this.#breaker, now, this.#deps.random()).state;
      this.#scheduleProbe();
      return;
    }
    this.#emit([], [], this.#answered(now), now);
    // Back online: read every class now instead of at its next tick.
    for (const st of this.#classes) this.#kick(st);
  }

  #answered(now: number): NewEvent[] {
    this.#everAnswered = true;
    this.#lastGoodAt = now;
    this.#breaker = recordAnswer(this.#breaker).state;
    return this.#deps.monitor.deviceAnswered(this.id, now);
  }

  #noAnswer(failure: Failure, now: number, observations: Observation[]): NewEvent[] {
    const { state, transition } = recordNoAnswer(this.options.breaker, this.#breaker, now, this.#deps.random());
    this.#breaker = state;
    if (transition !== 'opened') return [];
    this.#deps.logger.warn({ device: this.id, code: failure.code }, 'device stopped answering');
    this.#scheduleProbe();
    // Offline: every point of the device is comm-fail now, not only this class's.
    const seen = new Set(observations.map((o) => o.point.id));
    for (const st of this.#classes) for (const p of st.points) if (!seen.has(p.id) && !this.#plan.isExcluded(p.id)) observations.push({ point: p, failedAt: now });
    return this.#deps.monitor.deviceOpened(this.id, now);
  }

  #learn(learning: Learning, largest: { registers: number; bits: number }, now: number): NewEvent[] {
    const out = this.#plan.learn(learning, largest, now);
    if (out === undefined) return [];
    this.#deps.logger.info({ device: this.id, learned: out.learned }, 'learned device limits');
    // Not awaited: persisting must not hold up this cycle's readings; stop() waits for it.
    this.#track(this.#deps.store
      .save(limitsKey(this.id, this.options.profile), out.learned)
      .catch((err: unknown) => this.#deps.logger.warn({ err, device: this.id }, 'cannot persist learned limits; they apply until restart')));
    return out.notice ? [this.#plan.notice(this.id, out.learned, now)] : [];
  }

  #emit(send: NewReading[], all: NewReading[], events: NewEvent[], now: number): void {
    if (this.#stopped) return;
    const alarmEvents = all.length > 0 ? this.#alarms.evaluate(all, now) : [];
    if (send.length > 0) this.#deps.sinks.telemetry(send);
    const out = [...events, ...alarmEvents];
    if (out.length > 0) this.#deps.sinks.events(out);
    if (alarmEvents.length > 0) this.#track(this.#alarms.save());
  }

  /** stop() waits for tracked work (persisting) to finish. */
  #track(work: Promise<void>): void {
    this.#cycles.add(work);
    void work.finally(() => this.#cycles.delete(work));
  }
}
