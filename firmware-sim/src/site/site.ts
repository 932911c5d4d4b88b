import type { Profile } from '@edgefleet/device-profiles';
import { durationMs } from '@edgefleet/device-profiles';
import { SimDevice } from '../device/sim-device.js';
import { createModel } from '../models/index.js';
import { createPtyPair } from '../transport/pty-pair.js';
import { startRtuServer } from '../transport/rtu-server.js';
import { startTcpServer } from '../transport/tcp-server.js';
import { SimUnit } from '../unit/sim-unit.js';
import type { FaultParams } from '../models/device-model.js';
import { BUS_FAULTS, activeBusFaults, isBusFault, setBusFault } from './fault-catalog.js';
import type { SiteConfig, TransportConfig } from './site-config.js';
import { SiteError } from './site-error.js';

export type SiteEndpoint =
  | { transport: string; kind: 'tcp'; host: string; port: number }
  | { transport: string; kind: 'rtu'; path: string; masterPath?: string; baud: number; parity: string };

export interface DeviceSummary {
  id: string;
  profile: string;
  family: string;
  transport: string;
  unit: number;
  faults: string[];
}

export interface SiteOptions {
  /** Resolves a profile id (the built-in registry, or profiles from --profiles dirs). */
  profile: (id: string) => Profile;
  /** Advance models on a timer (default). Tests pass false and call step() themselves. */
  autoTick?: boolean;
  now?: () => number;
}

interface Entry {
  config: SiteConfig['devices'][number];
  unit: SimUnit;
  device: SimDevice;
}

type Closer = () => Promise<void>;

/**
 * A running simulated site: device models behind Modbus TCP and RTU transports, with faults
 * injectable at runtime. The control API (HTTP) and tests drive the same methods.
 */
export class SimSite {
  private readonly entries = new Map<string, Entry>();
  private readonly endpointList: SiteEndpoint[] = [];
  private readonly closers: Closer[] = [];
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly config: SiteConfig,
    private readonly now: () => number,
  ) {}

  static async start(config: SiteConfig, opts: SiteOptions): Promise<SimSite> {
    const site = new SimSite(config, opts.now ?? Date.now);
    try {
      site.buildDevices(opts.profile);
      for (const transport of config.transports) await site.startTransport(transport);
    } catch (err) {
      await site.stop();
      throw err;
    }
    site.step();
    if (opts.autoTick !== false) {
      site.timer = setInterval(() => site.step(), durationMs(config.tick));
      site.timer.unref();
    }
    return site;
  }

  private buildDevices(resolve: (id: string) => Profile): void {
    this.config.devices.forEach((dc, index) => {
      let profile: Profile;
      try {
        profile = resolve(dc.profile);
      } catch (err) {
        throw new SiteError('SITE_UNKNOWN_PROFILE', `devices[${index}] (${dc.id}): ${(err as Error).message}`);
      }
      const unit = new SimUnit({ unit: dc.unit, profile });
      const seed = dc.seed ?? this.config.seed * 1000 + index;
      const device = new SimDevice({ id: dc.id, unit, model: createModel(profile, seed), seed });
      this.entries.set(dc.id, { config: dc, unit, device });
    });
  }

  private unitsOn(transportId: string): (unit: number) => SimUnit | undefined {
    const byUnit = new Map<number, SimUnit>();
    for (const e of this.entries.values()) if (e.config.transport === transportId) byUnit.set(e.config.unit, e.unit);
    return (unit) => byUnit.get(unit);
  }

  private async startTransport(t: TransportConfig): Promise<void> {
    const units = this.unitsOn(t.id);
    if (t.kind === 'tcp') {
      const server = await startTcpServer({ host: t.host, port: t.port, units });
      this.closers.push(() => server.close());
      this.endpointList.push({ transport: t.id, kind: 'tcp', host: server.host, port: server.port });
      return;
    }
    let path = t.path;
    let masterPath: string | undefined;
    if (path === undefined) {
      const pty = await createPtyPair();
      this.closers.push(() => pty.close());
      path = pty.slavePath;
      masterPath = pty.masterPath;
    }
    const server = await startRtuServer({ path, baud: t.baud, parity: t.parity, turnaroundMs: durationMs(t.turnaround), units });
    // Close the server before its PTY: closers run in reverse order.
    this.closers.push(() => server.close());
    this.endpointList.push({ transport: t.id, kind: 'rtu', path, ...(masterPath ? { masterPath } : {}), baud: t.baud, parity: t.parity });
  }

  /** Advances every device model to `now` and refreshes its registers. */
  step(now = this.now()): void {
    for (const e of this.entries.values()) e.device.step(now);
  }

  endpoints(): SiteEndpoint[] {
    return this.endpointList.map((e) => ({ ...e }));
  }

  devices(): DeviceSummary[] {
    return [...this.entries.values()].map((e) => this.summary(e));
  }

  private summary(e: Entry): DeviceSummary {
    return {
      id: e.config.id,
      profile: e.unit.profile.id,
      family: e.unit.profile.family,
      transport: e.config.transport,
      unit: e.config.unit,
      faults: [...activeBusFaults(e.unit.faults), ...e.device.truth().faults],
    };
  }

  private entry(id: string): Entry {
    const e = this.entries.get(id);
    if (!e) throw new SiteError('SITE_UNKNOWN_DEVICE', `no device "${id}" (known: ${[...this.entries.keys()].join(', ')})`);
    return e;
  }

  /** Ground truth: the values the device model holds now, and its active faults. */
  truth(id: string): DeviceSummary & { values: ReturnType<SimDevice['truth']>['values']; stats: SimUnit['stats'] } {
    const e = this.entry(id);
    return { ...this.summary(e), values: e.device.truth().values, stats: e.unit.stats };
  }

  availableFaults(id: string): Record<string, string> {
    const e = this.entry(id);
    return { ...BUS_FAULTS, ...e.device.listFaults() };
  }

  injectFault(id: string, name: string, params: FaultParams = {}): void {
    const e = this.entry(id);
    this.applyFault(e, name, true, params);
  }

  clearFault(id: string, name: string): void {
    this.applyFault(this.entry(id), name, false, {});
  }

  clearAllFaults(id: string): void {
    const e = this.entry(id);
    for (const name of this.summary(e).faults) this.applyFault(e, name, false, {});
  }

  private applyFault(e: Entry, name: string, on: boolean, params: FaultParams): void {
    if (isBusFault(name)) {
      try {
        setBusFault(e.unit.faults, name, on, params);
      } catch (err) {
        throw new SiteError('SITE_BAD_FAULT_PARAMS', `${e.config.id}: ${(err as Error).message}`);
      }
      return;
    }
    const known = e.device.listFaults();
    if (!Object.hasOwn(known, name)) {
      const all = [...Object.keys(BUS_FAULTS), ...Object.keys(known)];
      throw new SiteError('SITE_UNKNOWN_FAULT', `${e.config.id}: unknown fault "${name}" (known: ${all.join(', ')})`);
    }
    try {
      if (on) e.device.injectFault(name, params);
      else e.device.clearFault(name);
    } catch (err) {
      throw new SiteError('SITE_BAD_FAULT_PARAMS', `${e.config.id}: ${(err as Error).message}`);
    }
    // Make the fault visible to masters at once rather than at the next tick.
    e.device.step(this.now());
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const closers = this.closers.splice(0).reverse();
    for (const close of closers) await close();
  }
}
