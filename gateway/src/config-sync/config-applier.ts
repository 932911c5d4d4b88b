import type { ProfileRegistry } from '@edgefleet/device-profiles';
import { DesiredConfig, type ManagedConfig } from '@edgefleet/protocol';
import { checkManagedConfig } from '../config/check-managed.js';

/** What the applier needs from the running gateway: swap the managed config, and say who answers. */
export interface ManagedRuntime {
  /** Replaces buses, devices, polling and schedules; resolves once the new set is running. */
  apply(config: ManagedConfig): Promise<void>;
  /** Devices that answered recently (online). */
  onlineDevices(): ReadonlySet<string>;
}

export type ApplyOutcome =
  | { applied: true; version: number }
  | { applied: false; version: number; reason: string; rolledBack: boolean }
  /** The gateway stopped mid-apply: nothing persisted or reported, so the retained config is applied again at the next start. */
  | { applied: false; version: number; reason: string; rolledBack: false; interrupted: true };

export interface ConfigApplierDeps {
  runtime: ManagedRuntime;
  registry: ProfileRegistry;
  /** Persists an applied config (AppliedConfigStore.save). */
  persist(desired: DesiredConfig): void;
  /**
   * Waits for the new config to show whether devices still answer (a few poll cycles). Must
   * resolve (not reject) soon after `signal` aborts: the gateway is stopping.
   */
  settle(signal: AbortSignal): Promise<void>;
}

/**
 * Applies a desired config from the server atomically: validated with the same schema and
 * cross-checks as gateway.yaml; applied as a whole; if devices that answered before the change
 * stop answering after it, the previous config is restored and the reason reported.
 */
export class ConfigApplier {
  private current: { version: number; config: ManagedConfig };
  /** Aborted by stop(): cuts the settle watch short and forbids any further runtime change. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly deps: ConfigApplierDeps,
    initial: { version: number; config: ManagedConfig },
  ) {
    this.current = initial;
  }

  version(): number {
    return this.current.version;
  }

  /**
   * The gateway is stopping: an apply in flight ends at its next step without rolling back
   * (a rollback would reopen ports and restart polling after the runtime stopped, keeping the
   * process alive), and later applies are refused the same way.
   */
  stop(): void {
    this.stopping.abort();
  }

  async apply(input: unknown): Promise<ApplyOutcome> {
    const parsed = DesiredConfig.safeParse(input);
    const version = typeof (input as { version?: unknown })?.version === 'number' ? (input as { version: number }).version : 0;
    if (!parsed.success) return reject(version, `invalid desired config: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    const desired = parsed.data;
    if (desired.version === this.current.version) return { applied: true, version: desired.version };
    if (desired.version < this.current.version) return reject(desired.version, `version ${desired.version} is older than the running ${this.current.version}`);
    const issues = checkManagedConfig(desired.config, this.deps.registry);
    if (issues.length > 0) return reject(desired.version, issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));

    if (this.isStopping()) return interrupted(desired.version);

    const previous = this.current;
    const healthyBefore = new Set(this.deps.runtime.onlineDevices());
    try {
      await this.deps.runtime.apply(desired.config);
    } catch (err) {
      if (this.isStopping()) return interrupted(desired.version);
      await this.deps.runtime.apply(previous.config);
      return { applied: false, version: desired.version, reason: `apply failed: ${(err as Error).message}`, rolledBack: true };
    }
    if (this.isStopping()) return interrupted(desired.version);
    await this.deps.settle(this.stopping.signal);
    // The poller is gone once the gateway stops, so every device would look lost: not a verdict.
    if (this.isStopping()) return interrupted(desired.version);
    const kept = new Set(desired.config.devices.filter((d) => d.enabled).map((d) => d.id));
    const online = this.deps.runtime.onlineDevices();
    const lost = [...healthyBefore].filter((id) => kept.has(id) && !online.has(id)).sort();
    if (lost.length > 0) {
      await this.deps.runtime.apply(previous.config);
      return {
        applied: false,
        version: desired.version,
        reason: `devices answering before the change stopped answering after it: ${lost.join(', ')}; version ${previous.version} restored`,
        rolledBack: true,
      };
    }
    this.deps.persist(desired);
    this.current = { version: desired.version, config: desired.config };
    return { applied: true, version: desired.version };
  }

  private isStopping(): boolean {
    return this.stopping.signal.aborted;
  }
}

function interrupted(version: number): ApplyOutcome {
  return { applied: false, version, reason: 'the gateway is stopping', rolledBack: false, interrupted: true };
}

function reject(version: number, reason: string): ApplyOutcome {
  return { applied: false, version, reason, rolledBack: false };
}
