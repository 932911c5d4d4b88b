import * as z from 'zod';

/** Wire-format version of every payload; a breaking change bumps it (and the topic's v1). */
export const WIRE_VERSION = 1;

export const Id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a lower-case slug: a-z, 0-9, "_" or "-", at most 64 characters');
/** Milliseconds since the Unix epoch. */
export const EpochMs = z.int().min(0);
/** Per gateway and stream, persisted by the gateway's outbox; starts at 1. */
export const Seq = z.int().min(1);
/**
 * Identifies the outbox file that assigned a message's seqs: seqs restart at 1 only with a new
 * epoch (a lost or replaced outbox), so the server dedups on (gateway, stream, epoch, seq).
 * Optional on the wire so older gateways still validate; absent means 0.
 */
export const OutboxEpoch = z.int().min(0);
export const Duration = z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'must be a duration such as "500ms", "10s", "5m" or "2h"');

export const Quality = z.enum(['good', 'stale', 'comm-fail']);
export type Quality = z.infer<typeof Quality>;

/** A decoded point value; null when there is none (quality comm-fail). */
export const WireValue = z.union([z.number(), z.boolean(), z.string(), z.array(z.boolean()), z.null()]);
export type WireValue = z.infer<typeof WireValue>;

export const Severity = z.enum(['critical', 'major', 'minor', 'info']);
export type Severity = z.infer<typeof Severity>;
