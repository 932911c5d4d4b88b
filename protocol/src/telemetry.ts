import * as z from 'zod';
import { EpochMs, Id, OutboxEpoch, Quality, Seq, WIRE_VERSION, WireValue } from './primitives.js';

/** One reading: the time it was READ (never the time it was sent) and its quality. */
export const Reading = z.strictObject({
  seq: Seq,
  device: Id,
  point: Id,
  ts: EpochMs,
  value: WireValue,
  quality: Quality,
});
export type Reading = z.infer<typeof Reading>;

/**
 * fleet/v1/gw/{id}/telemetry — many readings per message. Items carry their own outbox seq, so
 * the server deduplicates per (gateway, stream, epoch, seq) however the gateway batches after a
 * reconnect. Items are in seq order; seqs may skip where telemetry was evicted (counted in health).
 */
export const TelemetryBatch = z.strictObject({
  v: z.literal(WIRE_VERSION),
  gateway: Id,
  stream: z.literal('telemetry'),
  epoch: OutboxEpoch.optional(),
  sentAt: EpochMs,
  items: z.array(Reading).min(1).max(10_000),
});
export type TelemetryBatch = z.infer<typeof TelemetryBatch>;
