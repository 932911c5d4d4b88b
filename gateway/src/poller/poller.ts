import { durationMs } from '@edgefleet/device-profiles';
import type { PollClass, Profile } from '@edgefleet/device-profiles';
import type { Bus, Device, LearnedLimits, ManagedConfig } from '@edgefleet/protocol';
import type { Logger } from 'pino';
import type { ModbusTransport } from '../modbus/modbus-transport.js';
import { BusScheduler } from '../scheduler/bus-scheduler.js';
import type { BusStatsSnapshot } from '../scheduler/bus-stats.js';
import { DEFAULT_BREAKER } from '../scheduler/circuit-breaker.js';
import { monotonicClock, systemClock } from '../scheduler/clock.js';
import type { Clock } from '../scheduler/clock.js';
import { BusMonitor } from './bus-monitor.js';
import { DevicePoller } from './device-poller.js';
import type { LimitsStore } from './limits-store.js';
import type { ActiveAlarmsStore } from '../alarms/active-alarms-store.js';
import type { BusHealth, DeviceHealth, PollerSinks } from './poller-types.js';

export interface PollerConfig {
  buses: readonly Bus[];
  devices: readonly Device[];
  polling: ManagedConfig['polling'];
}

export interface PollerDeps {
  logger: Logger;
  sinks: PollerSinks;
  /** The bus's transport, opened (and reopened) by its owner; the poller never opens or closes it. */
  transport(busId: string): ModbusTransport;
  profile(id: string): Profile;
  limitsStore: LimitsStore;
  alarmStore?: ActiveAlarmsStore;
  /** Wall clock: reading timestamps and poll intervals. Default systemClock. */
  clock?: Clock;
  /** Monotonic clock for line silences. Default monotonicClock. */
  busClock?: Clock;
  random?: () => number;
  /** BusMonitor window (dead device vs dead bus). */
  busDownWindowMs?: number;
  starvationLimit?: number;
}

interface BusEntry {
  bus: Bus;
  scheduler: BusScheduler;
  monitor: BusMonitor;
  unsubscribe: () => void;
}

/**
 * The polling engine: one BusScheduler and BusMonitor per bus, one DevicePoller per enabled
 * device. Output goes to the injected sinks (the outbox in production).
 */
export class Poller {
  readonly #deps: PollerDeps;
  readonly #clock: Clock;
  readonly #polling: ManagedConfig['polling'];
  readonly #buses = new Map<string, BusEntry>();
  readonly #devices = new Map<string, DevicePoller>();
  #configured: Device[];
  #running = false;

  constructor(config: PollerConfig, deps: PollerDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
    this.#polling = config.polling;
    this.#configured = [...config.devices];
    for (const bus of config.buses) {
      const transport = deps.transport(bus.id);
      const scheduler = new BusScheduler(bus, { transport, clock: deps.busClock ?? monotonicClock }, { starvationLimit: deps.starvationLimit });
      const monitor = new BusMonitor(bus.id, deps.busDownWindowMs);
      const offState = transport.onStateChange((state, reason) => this.#onTransportState(bus.id, state, reason));
      const offUp = monitor.onUp(() => this.#probeBus(bus.id));
      const unsubscribe = (): void => {
        offState();
        offUp();
      };
      this.#buses.set(bus.id, { bus, scheduler, monitor, unsubscribe });
    }
  }

  async start(): Promise<void> {
    this.#running = true;
    await this.updateDevices(this.#configured);
  }

  /** Stops polling; resolves once every transaction in flight has ended. */
  async stop(): Promise<void> {
    this.#running = false;
    const devices = [...this.#devices.values()];
    this.#devices.clear();
    const stopping = devices.map((d) => d.stop());
    await Promise.all([...this.#buses.values()].map((b) => {
      b.unsubscribe();
      return b.scheduler.close();
    }));
    await Promise.all(stopping);
  }

  /**
   * Applies a new device list at runtime (config apply): removed devices stop, new ones start,
   * changed ones (any field, or a profile of another version) restart. Learned limits survive
   * in the store.
   */
  async updateDevices(devices: readonly Device[]): Promise<void> {
    for (const d of devices) {
      if (!this.#buses.has(d.bus)) throw new RangeError(`device "${d.id}": unknown bus "${d.bus}" (known: ${[...this.#buses.keys()].join(', ')})`);
    }
    this.#configured = [...devices];
    if (!this.#running) return;
    const wanted = new Map(devices.filter((d) => d.enabled).map((d) => [d.id, d]));
    const stops: Promise<void>[] = [];
    for (const [id, poller] of this.#devices) {
      const next = wanted.get(id);
      if (next !== undefined && sameDevice(poller, next, this.#deps.profile(next.profile))) continue;
      this.#devices.delete(id);
      this.#buses.get(poller.options.device.bus)?.scheduler.forgetDevice(id);
      stops.push(poller.stop());
    }
    await Promise.all(stops);
    for (const [id, device] of wanted) {
      if (this.#devices.has(id)) continue;
      const poller = this.#createDevice(device);
      this.#devices.set(id, poller);
      await poller.start();
    }
    for (const [busId, entry] of this.#buses) {
      entry.monitor.setDevices([...this.#devices.values()].filter((d) => d.options.device.bus === busId).map((d) => d.id));
    }
  }

  /** Runs fn on the device's bus in the command lane; rejects for an unknown device. */
  runOnDevice<T>(deviceId: string, fn: (transport: ModbusTransport) => Promise<T>): Promise<T> {
    const device = this.#devices.get(deviceId);
    if (device === undefined) return Promise.reject(new RangeError(`no device "${deviceId}" is being polled`));
    return device.run(fn);
  }

  /** The unit, profile and timeout of a polled device (the command runner's CommandTarget). */
  commandTarget(deviceId: string): { unit: number; profile: Profile; timeoutMs: number } | undefined {
    const d = this.#devices.get(deviceId);
    return d === undefined ? undefined : { unit: d.options.device.unit, profile: d.options.profile, timeoutMs: d.options.timeoutMs };
  }

  device(id: string): DevicePoller | undefined {
    return this.#devices.get(id);
  }

  deviceHealth(): DeviceHealth[] {
    return [...this.#devices.values()].map((d) => d.health());
  }

  busHealth(): BusHealth[] {
    return [...this.#buses.values()].map(({ bus, scheduler, monitor }) => {
      const s = scheduler.stats();
      const transportState = scheduler.transport.state();
      return {
        id: bus.id,
        kind: bus.kind,
        state: transportState === 'up' && monitor.isDown ? 'down' : transportState,
        transactions: s.transactions,
        errors: s.errors,
        rate: s.rate,
        probeShare: s.probeShare,
      };
    });
  }

  /** Raw scheduler counters per bus, busy and probe time included (BusHealth carries a subset). */
  busStats(): Record<string, BusStatsSnapshot> {
    return Object.fromEntries([...this.#buses].map(([id, b]) => [id, b.scheduler.stats()]));
  }

  learnedLimits(): Record<string, LearnedLimits> {
    const out: Record<string, LearnedLimits> = {};
    for (const d of this.#devices.values()) if (d.learned !== undefined) out[d.id] = d.learned;
    return out;
  }

  #createDevice(device: Device): DevicePoller {
    const entry = this.#buses.get(device.bus)!;
    const profile = this.#deps.profile(device.profile);
    const p = this.#polling;
    const intervals: Record<PollClass, number> = {
      fast: durationMs(device.poll?.fast ?? p.fast),
      normal: durationMs(device.poll?.normal ?? p.normal),
      slow: durationMs(device.poll?.slow ?? p.slow),
    };
    // The longer of the two: a slow device on a fast bus, or a slow link to a quick device.
    const timeoutMs = Math.max(durationMs(entry.bus.timeout), durationMs(profile.transport.responseTimeout));
    entry.scheduler.setDeviceGap(device.id, durationMs(profile.transport.minRequestGap));
    return new DevicePoller(
      {
        device,
        profile,
        intervals,
        snapshotMs: durationMs(p.snapshot),
        timeoutMs,
        breaker: { ...DEFAULT_BREAKER, offlineAfter: p.offlineAfter, maxProbeMs: durationMs(p.maxProbeInterval) },
      },
      {
        clock: this.#clock,
        scheduler: entry.scheduler,
        monitor: entry.monitor,
        sinks: this.#deps.sinks,
        store: this.#deps.limitsStore,
        ...(this.#deps.alarmStore ? { alarmStore: this.#deps.alarmStore } : {}),
        logger: this.#deps.logger.child({ bus: device.bus, device: device.id }),
        random: this.#deps.random ?? Math.random,
      },
    );
  }

  #onTransportState(busId: string, state: ReturnType<ModbusTransport['state']>, reason?: string): void {
    const entry = this.#buses.get(busId);
    if (entry === undefined || !this.#running) return;
    const events = entry.monitor.transportState(state, Math.round(this.#clock.now()), reason);
    if (events.length > 0) this.#deps.sinks.events(events);
    if (state === 'up') this.#probeBus(busId);
  }

  #probeBus(busId: string): void {
    for (const d of this.#devices.values()) if (d.options.device.bus === busId) d.probeSoon();
  }
}

function sameDevice(poller: DevicePoller, next: Device, profile: Profile): boolean {
  return JSON.stringify(poller.options.device) === JSON.stringify(next) && poller.options.profile === profile;
}
