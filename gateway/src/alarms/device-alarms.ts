import { evaluateAlarms, initialAlarmState } from '@edgefleet/device-profiles';
import type { AlarmState, Profile, Reading } from '@edgefleet/device-profiles';
import type { NewEvent, NewReading } from '../outbox/outbox-types.js';
import type { ActiveAlarms, ActiveAlarmsStore } from './active-alarms-store.js';

/** Where a device's raised alarms are kept across restarts, and how a failed save is reported. */
export interface AlarmPersistence {
  store: ActiveAlarmsStore;
  key: string;
  warn: (err: unknown) => void;
}

/**
 * The profile's alarm rules for one device, run on the gateway with the shared evaluator
 * (ARCHITECTURE.md "edge alarm rules"). Every batch of readings goes in, comm-fail and stale ones
 * too: the evaluator treats them as "unknown", so a rule holds its state rather than clearing
 * because the device stopped answering.
 */
export class DeviceAlarms {
  #state: AlarmState = initialAlarmState();

  constructor(
    readonly deviceId: string,
    readonly profile: Pick<Profile, 'points' | 'alarms'>,
    private readonly persistence?: AlarmPersistence,
  ) {}

  /** Restores what was raised before a restart (see restore()); a no-op without persistence. */
  async load(): Promise<void> {
    const active = await this.persistence?.store.load(this.persistence.key);
    if (active !== undefined) this.restore(active);
  }

  /**
   * Called after the raise/clear events are in the outbox (sinks are synchronous): a crash in
   * between re-raises after the restart, which the server folds into the open alert; the other
   * order could lose a raise. Never rejects: a failed save is reported and costs only that.
   */
  async save(): Promise<void> {
    const p = this.persistence;
    if (p === undefined) return;
    await p.store.save(p.key, this.active()).catch(p.warn);
  }

  get state(): AlarmState {
    return this.#state;
  }

  /** The raised rules, as persisted across restarts (ActiveAlarmsStore). */
  active(): ActiveAlarms {
    const out: ActiveAlarms = {};
    for (const [rule, s] of Object.entries(this.#state.rules)) if (s.active) out[rule] = { raisedAt: s.raisedAt ?? 0 };
    return out;
  }

  /**
   * Marks rules raised before a restart as raised again, without an event: the server already
   * holds their alerts. Rules the profile no longer has are ignored. The evaluator then clears
   * them by their clear condition, as if the gateway had never stopped.
   */
  restore(active: ActiveAlarms): void {
    const known = new Set(this.profile.alarms.map((a) => a.id));
    const rules = { ...this.#state.rules };
    for (const [rule, { raisedAt }] of Object.entries(active)) if (known.has(rule)) rules[rule] = { active: true, raisedAt };
    this.#state = { ...this.#state, rules };
  }

  /** Feeds one batch; returns the raise/clear events (protocol AlarmEvent without seq). */
  evaluate(readings: readonly NewReading[], now: number): NewEvent[] {
    if (this.profile.alarms.length === 0) return [];
    const batch: Record<string, Reading> = {};
    for (const r of readings) {
      if (r.device !== this.deviceId) continue;
      // The evaluator wants a value even for non-good readings; it never looks at it then.
      const value = r.value ?? this.#state.values[r.point]?.value ?? 0;
      batch[r.point] = { value, quality: r.quality, ts: r.ts };
    }
    const out = evaluateAlarms(this.profile, this.#state, batch, now);
    this.#state = out.state;
    return out.events.map((e) => ({
      type: 'alarm' as const,
      ts: e.at,
      device: this.deviceId,
      rule: e.rule,
      state: e.kind,
      severity: e.severity,
      message: e.message,
      values: e.values,
    }));
  }
}
