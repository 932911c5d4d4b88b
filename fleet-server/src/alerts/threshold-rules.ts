import * as z from 'zod';
import { Id, Severity } from '@edgefleet/protocol';
import type { Quality, WireValue } from '@edgefleet/protocol';
import type { Store } from '../store/store.js';
import type { AlertKey, LatestValue } from '../store/store-types.js';
import type { ServerCondition } from './server-rules.js';

/**
 * A server-side threshold on one telemetry point (server.yaml `alerts.thresholds`): for rules the
 * profile does not carry, or that a site wants tighter than the device's own (a car park's "full",
 * a night-time flow that suggests a leak long before the profile's 3-hour rule). Evaluated on the
 * alert tick against the latest values, so its latency is up to one tick on top of `forMs`.
 */
export const thresholdRuleSchema = z
  .strictObject({
    id: Id,
    point: z.string().min(1),
    /** Only devices of this profile; absent: every device with the point. */
    profile: Id.optional(),
    /** Only these device ids; absent: every device (of the profile). */
    devices: z.array(Id).min(1).optional(),
    gt: z.number().optional(),
    ge: z.number().optional(),
    lt: z.number().optional(),
    le: z.number().optional(),
    /** The value must hold this long (across ticks) before the alert is raised. */
    forMs: z.int().min(0).default(0),
    severity: Severity,
    /** "{value}" is replaced by the value read. */
    message: z.string().min(1),
  })
  .refine((r) => [r.gt, r.ge, r.lt, r.le].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of gt, ge, lt, le',
  });
export type ThresholdRule = z.output<typeof thresholdRuleSchema>;

/** Alert rule ids of thresholds carry this prefix, so they never collide with a profile's rule ids. */
export const THRESHOLD_RULE_PREFIX = 'threshold:';
export const isThresholdRule = (rule: string): boolean => rule.startsWith(THRESHOLD_RULE_PREFIX);

export interface ThresholdSample {
  gateway: string;
  device: string;
  profile: string | undefined;
  point: string;
  value: WireValue;
  quality: Quality;
}

export interface ThresholdOutcome {
  /** Conditions that hold and have held for their forMs. */
  active: ServerCondition[];
  /** Keys whose value is unknown now (comm-fail, stale, not a number): neither raised nor cleared. */
  hold: AlertKey[];
}

function holds(rule: ThresholdRule, value: number): boolean {
  if (rule.gt !== undefined) return value > rule.gt;
  if (rule.ge !== undefined) return value >= rule.ge;
  if (rule.lt !== undefined) return value < rule.lt;
  return rule.le !== undefined && value <= rule.le;
}

const formatValue = (value: number): string => String(Number(value.toPrecision(4)));

/** Remembers since when each (device, rule) has held; in memory, so a restart starts `forMs` again. */
export class ThresholdRules {
  private readonly since = new Map<string, number>();

  constructor(readonly rules: readonly ThresholdRule[]) {}

  evaluate(samples: readonly ThresholdSample[], now: number): ThresholdOutcome {
    const active: ServerCondition[] = [];
    const hold: AlertKey[] = [];
    const seen = new Set<string>();
    for (const rule of this.rules) {
      for (const s of samples) {
        if (s.point !== rule.point || (rule.profile !== undefined && s.profile !== rule.profile)) continue;
        if (rule.devices !== undefined && !rule.devices.includes(s.device)) continue;
        const key: AlertKey = { gateway: s.gateway, device: s.device, rule: `${THRESHOLD_RULE_PREFIX}${rule.id}` };
        const id = `${key.gateway}\u0000${key.device}\u0000${key.rule}`;
        if (s.quality !== 'good' || typeof s.value !== 'number') {
          hold.push(key);
          if (this.since.has(id)) seen.add(id);
          continue;
        }
        if (!holds(rule, s.value)) continue;
        seen.add(id);
        const since = this.since.get(id) ?? now;
        this.since.set(id, since);
        if (now - since >= rule.forMs) {
          active.push({ key, severity: rule.severity, message: rule.message.replaceAll('{value}', formatValue(s.value)) });
        }
      }
    }
    for (const id of [...this.since.keys()]) if (!seen.has(id)) this.since.delete(id);
    return { active, hold };
  }
}

/**
 * The latest values the rules look at (as read by the tick, per gateway), with each device's
 * profile; the device list is read only for gateways that have a value of a ruled point.
 */
export async function collectThresholdSamples(
  store: Pick<Store, 'listDevices'>, rules: readonly ThresholdRule[], latest: ReadonlyMap<string, readonly LatestValue[]>,
): Promise<ThresholdSample[]> {
  if (rules.length === 0) return [];
  const points = new Set(rules.map((r) => r.point));
  const out: ThresholdSample[] = [];
  for (const [gateway, values] of latest) {
    const ruled = values.filter((v) => points.has(v.point));
    if (ruled.length === 0) continue;
    const profiles = new Map((await store.listDevices(gateway)).map((d) => [d.device, d.profile]));
    for (const v of ruled) out.push({ gateway, device: v.device, profile: profiles.get(v.device), point: v.point, value: v.value, quality: v.quality });
  }
  return out;
}
