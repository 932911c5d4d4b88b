import * as z from 'zod';
import { EpochMs, Id, WIRE_VERSION } from './primitives.js';

const Counts = z.record(z.string(), z.int().min(0));

export const BusHealth = z.strictObject({
  id: Id,
  kind: z.enum(['rtu', 'tcp']),
  state: z.enum(['up', 'down', 'connecting']),
  transactions: z.int().min(0),
  /** Failures by error code (MODBUS_TIMEOUT, MODBUS_CRC, MODBUS_EXCEPTION, ...). */
  errors: Counts,
  /** Transactions per second over the last health interval. */
  rate: z.number().min(0),
  /** Share of bus time spent on offline devices' probes (bounded by the circuit breaker). */
  probeShare: z.number().min(0).max(1).optional(),
});

export const LearnedLimits = z.strictObject({
  maxRegisters: z.int().min(1).max(125).optional(),
  maxBits: z.int().min(1).max(2000).optional(),
  holes: z.array(z.strictObject({ table: z.enum(['holding', 'input', 'coil', 'discrete']), from: z.int(), to: z.int() })).default([]),
  learnedAt: EpochMs,
});
export type LearnedLimits = z.infer<typeof LearnedLimits>;

export const DeviceHealth = z.strictObject({
  id: Id,
  bus: Id,
  /**
   * What the device is, so the server's inventory also knows devices configured in the
   * gateway's own gateway.yaml (not pushed by the server). Optional: older gateways omit it.
   */
  profile: Id.optional(),
  unit: z.int().min(0).max(255).optional(),
  name: z.string().optional(),
  location: z.string().optional(),
  state: z.enum(['online', 'offline', 'unknown']),
  polls: z.int().min(0),
  failures: z.int().min(0),
  lastGoodAt: EpochMs.optional(),
  nextProbeAt: EpochMs.optional(),
  learned: LearnedLimits.optional(),
});

/** fleet/v1/gw/{id}/health — periodic, QoS 0: a lost one is replaced by the next. */
export const GatewayHealth = z.strictObject({
  v: z.literal(WIRE_VERSION),
  gateway: Id,
  /** Changes on every start; with seq the server can order health messages and spot restarts. */
  bootId: z.string().min(1),
  seq: z.int().min(1),
  ts: EpochMs,
  uptimeS: z.number().min(0),
  outbox: z.strictObject({
    events: z.strictObject({ depth: z.int().min(0), oldestTs: EpochMs.optional() }),
    telemetry: z.strictObject({ depth: z.int().min(0), oldestTs: EpochMs.optional(), dropped: z.int().min(0) }),
    bytes: z.int().min(0),
    maxBytes: z.int().min(0),
  }),
  buses: z.array(BusHealth),
  devices: z.array(DeviceHealth),
  clock: z.strictObject({ source: z.enum(['system', 'ntp', 'unknown']), skewMs: z.number().optional() }),
  config: z.strictObject({ version: z.int().min(0) }),
});
export type GatewayHealth = z.infer<typeof GatewayHealth>;
