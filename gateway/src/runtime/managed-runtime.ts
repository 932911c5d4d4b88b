import type { Profile } from '@edgefleet/device-profiles';
import type { Bus, ManagedConfig } from '@edgefleet/protocol';
import type { Logger } from 'pino';
import type { ManagedRuntime } from '../config-sync/config-applier.js';
import type { ModbusTransport } from '../modbus/modbus-transport.js';
import type { ActiveAlarmsStore } from '../alarms/active-alarms-store.js';
import type { LimitsStore } from '../poller/limits-store.js';
import { GatewayError } from '../errors.js';
import { Poller } from '../poller/poller.js';
import type { PollerSinks } from '../poller/poller-types.js';
import { createTransport, sameBus } from './transports.js';

/** How long a start or config apply waits for new ports to open before polling begins. */
const FIRST_OPEN_WAIT_MS = 2_000;

export interface ManagedRuntimeDeps {
  logger: Logger;
  sinks: PollerSinks;
  profile(id: string): Profile;
  limitsStore: LimitsStore;
  alarmStore?: ActiveAlarmsStore;
  /** Injectable for tests; default opens real RTU/TCP transports. */
  createTransport?: (bus: Bus, logger: Logger) => ModbusTransport;
}

/**
 * The running managed part of the gateway: transports and the poller for a ManagedConfig.
 * apply() swaps to another config without a process restart: device-only changes go through
 * Poller.updateDevices (untouched devices keep polling); bus or polling changes rebuild the
 * poller, keeping the open transports of buses whose settings did not change.
 */
export class GatewayRuntime implements ManagedRuntime {
  private readonly transports = new Map<string, { bus: Bus; transport: ModbusTransport }>();
  private poller: Poller | undefined;
  private config: ManagedConfig | undefined;
  /**
   * apply() and stop() run one at a time, in call order: a stop() during an apply waits for it
   * and then tears down what it built, and an apply() after stop() is refused, so no transport
   * or poller is started once the gateway has stopped.
   */
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: ManagedRuntimeDeps) {}

  apply(config: ManagedConfig): Promise<void> {
    if (this.stopped) return Promise.reject(runtimeStopped());
    return this.enqueue(() => (this.stopped ? Promise.reject(runtimeStopped()) : this.applyNow(config)));
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyNow(config: ManagedConfig): Promise<void> {
    const previous = this.config;
    if (previous && this.poller && sameBuses(previous.buses, config.buses) && JSON.stringify(previous.polling) === JSON.stringify(config.polling)) {
      await this.poller.updateDevices(config.devices);
      this.config = config;
      return;
    }
    await this.poller?.stop();
    await this.reconcileTransports(config.buses);
    this.poller = new Poller(config, {
      logger: this.deps.logger,
      sinks: this.deps.sinks,
      transport: (busId) => {
        const entry = this.transports.get(busId);
        if (!entry) throw new RangeError(`no transport for bus "${busId}"`);
        return entry.transport;
      },
      profile: (id) => this.deps.profile(id),
      limitsStore: this.deps.limitsStore,
      ...(this.deps.alarmStore ? { alarmStore: this.deps.alarmStore } : {}),
    });
    await this.poller.start();
    this.config = config;
  }

  private async reconcileTransports(buses: readonly Bus[]): Promise<void> {
    const wanted = new Map(buses.map((b) => [b.id, b]));
    for (const [id, entry] of this.transports) {
      const next = wanted.get(id);
      if (next && sameBus(entry.bus, next)) continue;
      this.transports.delete(id);
      await entry.transport.close();
    }
    const opening: Promise<void>[] = [];
    for (const bus of buses) {
      if (this.transports.has(bus.id)) continue;
      const transport = (this.deps.createTransport ?? createTransport)(bus, this.deps.logger);
      this.transports.set(bus.id, { bus, transport });
      // open() keeps retrying in the background until the port is there.
      opening.push(transport.open());
    }
    // Polling waits a moment for new ports to open: started at once, its first round met a port
    // still opening and stored a comm-fail reading for every point at every start. A port that
    // stays missing is not waited for longer: polling then reports comm-fail as it should.
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(opening), new Promise<void>((resolve) => (waited = setTimeout(resolve, FIRST_OPEN_WAIT_MS)))]);
    clearTimeout(waited);
  }

  onlineDevices(): ReadonlySet<string> {
    return new Set((this.poller?.deviceHealth() ?? []).filter((d) => d.state === 'online').map((d) => d.id));
  }

  current(): Poller | undefined {
    return this.poller;
  }

  /** Stops polling and closes every transport, after the apply in flight (if any) ends. */
  stop(): Promise<void> {
    this.stopped = true;
    return this.enqueue(() => this.stopNow());
  }

  private async stopNow(): Promise<void> {
    await this.poller?.stop();
    this.poller = undefined;
    for (const { transport } of this.transports.values()) await transport.close();
    this.transports.clear();
  }
}

function sameBuses(a: readonly Bus[], b: readonly Bus[]): boolean {
  return a.length === b.length && a.every((bus, i) => b[i] !== undefined && sameBus(bus, b[i]));
}

function runtimeStopped(): GatewayError {
  return new GatewayError('RUNTIME_STOPPED', 'the gateway runtime is stopped; no config is applied after stop()');
}
