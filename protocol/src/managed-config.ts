import * as z from 'zod';
import { Duration, EpochMs, Id, WIRE_VERSION } from './primitives.js';

export const RtuBus = z.strictObject({
  id: Id,
  kind: z.literal('rtu'),
  /** Prefer stable paths such as /dev/serial/by-id/... (LIBRARIES.md). */
  path: z.string().min(1),
  baud: z.int().refine((b) => [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200].includes(b), 'must be a standard baud rate (1200…115200)').default(9600),
  parity: z.enum(['none', 'even', 'odd']).default('even'),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
  timeout: Duration.default('500ms'),
  /** Extra silence between transactions on top of t3.5 (some converters need it). */
  gap: Duration.default('0ms'),
});

export const TcpBus = z.strictObject({
  id: Id,
  kind: z.literal('tcp'),
  host: z.string().min(1),
  port: z.int().min(1).max(65535).default(502),
  timeout: Duration.default('1s'),
  /** Requests in flight at once on this endpoint (a Modbus TCP gateway often allows only 1–4). */
  maxConcurrent: z.int().min(1).max(32).default(2),
});

export const Bus = z.discriminatedUnion('kind', [RtuBus, TcpBus]);
export type Bus = z.infer<typeof Bus>;

export const PollIntervals = z.strictObject({
  fast: Duration.optional(),
  normal: Duration.optional(),
  slow: Duration.optional(),
});

export const Device = z.strictObject({
  id: Id,
  bus: Id,
  // Modbus over Serial Line v1.02 §2.2: 1..247 unicast; TCP unit ids may be 0..255.
  unit: z.int().min(0).max(255),
  profile: Id,
  name: z.string().optional(),
  location: z.string().optional(),
  enabled: z.boolean().default(true),
  poll: PollIntervals.optional(),
});
export type Device = z.infer<typeof Device>;

export const Polling = z.strictObject({
  fast: Duration.default('1s'),
  normal: Duration.default('10s'),
  slow: Duration.default('60s'),
  /** Full snapshot of every point regardless of deadband, so the server can tell "unchanged" from "lost". */
  snapshot: Duration.default('15m'),
  /** Consecutive failed polls before a device is declared offline and its breaker opens. */
  offlineAfter: z.int().min(1).max(100).default(3),
  /** Longest pause between re-probes of an offline device (exponential backoff up to this). */
  maxProbeInterval: Duration.default('5m'),
});

export const Schedule = z.strictObject({
  id: Id,
  /** node-cron expression (validated with cron.validate by the gateway). */
  cron: z.string().min(1),
  action: z.enum(['snapshot', 'outbox-maintenance']),
  devices: z.array(Id).optional(),
  points: z.array(Id).optional(),
});

/**
 * The part of a gateway's configuration the fleet server manages: what to poll and when.
 * Identity, uplink and credentials stay local, so a pushed config cannot lock a gateway out.
 */
export const ManagedConfig = z.strictObject({
  buses: z.array(Bus).default([]),
  devices: z.array(Device).default([]),
  polling: Polling.prefault({}),
  schedules: z.array(Schedule).default([]),
});
export type ManagedConfig = z.infer<typeof ManagedConfig>;

/** fleet/v1/gw/{id}/config (retained) — the desired configuration, versioned by the server. */
export const DesiredConfig = z.strictObject({
  v: z.literal(WIRE_VERSION),
  version: z.int().min(1),
  issuedAt: EpochMs,
  config: ManagedConfig,
});
export type DesiredConfig = z.infer<typeof DesiredConfig>;
