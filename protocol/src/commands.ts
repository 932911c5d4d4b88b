import * as z from 'zod';
import { EpochMs, Id, OutboxEpoch, Seq, WIRE_VERSION, WireValue } from './primitives.js';

const ParamValue = z.union([z.number(), z.boolean(), z.string()]);

/**
 * fleet/v1/gw/{id}/cmd — either a named profile command with parameters, or a write of one
 * writable point. A gateway refuses (never runs) a command received after `expiresAt`.
 */
export const CommandRequest = z
  .strictObject({
    v: z.literal(WIRE_VERSION),
    id: z.string().min(1).max(64),
    device: Id,
    issuedAt: EpochMs,
    expiresAt: EpochMs,
    command: Id.optional(),
    params: z.record(z.string(), ParamValue).default({}),
    write: z.strictObject({ point: Id, value: ParamValue }).optional(),
  })
  .refine((c) => (c.command === undefined) !== (c.write === undefined), { message: 'give exactly one of command or write' })
  .refine((c) => c.expiresAt > c.issuedAt, { message: 'expiresAt must be after issuedAt', path: ['expiresAt'] });
export type CommandRequest = z.infer<typeof CommandRequest>;

export const CommandStatus = z.enum(['ok', 'rejected', 'expired', 'failed', 'not-confirmed']);
export type CommandStatus = z.infer<typeof CommandStatus>;

/**
 * fleet/v1/gw/{id}/cmd-result — travels through the outbox's event stream (its seq is an event
 * seq), so a result survives an outage and is deduplicated like an event.
 */
export const CommandResult = z.strictObject({
  v: z.literal(WIRE_VERSION),
  gateway: Id,
  stream: z.literal('events'),
  epoch: OutboxEpoch.optional(),
  seq: Seq,
  id: z.string().min(1).max(64),
  device: Id,
  status: CommandStatus,
  ts: EpochMs,
  reason: z.string().optional(),
  /** Values read back after the writes, e.g. the cabinet's mode after "set flash". */
  readBack: z.record(z.string(), WireValue).optional(),
});
export type CommandResult = z.infer<typeof CommandResult>;
