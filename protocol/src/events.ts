import * as z from 'zod';
import { EpochMs, Id, OutboxEpoch, Seq, Severity, WIRE_VERSION, WireValue } from './primitives.js';

const Base = { seq: Seq, ts: EpochMs };

/** An edge alarm rule raised or cleared on the gateway (device-profiles' evaluator). */
export const AlarmEvent = z.strictObject({
  ...Base,
  type: z.literal('alarm'),
  device: Id,
  rule: Id,
  state: z.enum(['raise', 'clear']),
  severity: Severity,
  message: z.string(),
  values: z.record(z.string(), WireValue),
});

/** A device started or stopped answering. `bus-down`: every device on its bus failed at once. */
export const DeviceEvent = z.strictObject({
  ...Base,
  type: z.literal('device'),
  device: Id,
  state: z.enum(['online', 'offline']),
  reason: z.string().optional(),
});

/** A whole bus stopped answering (port lost, or every device on it failing): not N device faults. */
export const BusEvent = z.strictObject({
  ...Base,
  type: z.literal('bus'),
  bus: Id,
  state: z.enum(['up', 'down']),
  reason: z.string().optional(),
});

/** A scheduled snapshot of chosen points (e.g. the daily meter reading for billing). */
export const SnapshotEvent = z.strictObject({
  ...Base,
  type: z.literal('snapshot'),
  schedule: Id,
  device: Id,
  values: z.record(z.string(), WireValue),
});

/** Something the operator should know: config applied/rejected/rolled back, limits learned, outbox pressure. */
export const NoticeEvent = z.strictObject({
  ...Base,
  type: z.literal('notice'),
  level: z.enum(['info', 'warn', 'error']),
  code: z.string().regex(/^[A-Z][A-Z0-9_]+$/),
  message: z.string(),
  device: Id.optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const GatewayEvent = z.discriminatedUnion('type', [AlarmEvent, DeviceEvent, BusEvent, SnapshotEvent, NoticeEvent]);
export type GatewayEvent = z.infer<typeof GatewayEvent>;
export type AlarmEvent = z.infer<typeof AlarmEvent>;
export type DeviceEvent = z.infer<typeof DeviceEvent>;

/** fleet/v1/gw/{id}/events — events drain before telemetry; in seq order within the stream. */
export const EventBatch = z.strictObject({
  v: z.literal(WIRE_VERSION),
  gateway: Id,
  stream: z.literal('events'),
  epoch: OutboxEpoch.optional(),
  sentAt: EpochMs,
  items: z.array(GatewayEvent).min(1).max(1_000),
});
export type EventBatch = z.infer<typeof EventBatch>;
