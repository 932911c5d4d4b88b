import * as z from 'zod';
import { EpochMs, Id, WIRE_VERSION } from './primitives.js';

/**
 * fleet/v1/gw/{id}/status (retained). The last will publishes state offline with reason
 * "lastwill"; the gateway publishes online after each connect, and offline on a clean stop.
 */
export const GatewayStatus = z.strictObject({
  v: z.literal(WIRE_VERSION),
  gateway: Id,
  state: z.enum(['online', 'offline']),
  ts: EpochMs,
  reason: z.string().optional(),
  software: z.strictObject({ gateway: z.string(), protocol: z.literal(WIRE_VERSION) }).optional(),
  config: z
    .strictObject({
      version: z.int().min(0),
      appliedAt: EpochMs.optional(),
      /** The last desired config that was refused or rolled back, and why. */
      rejected: z.strictObject({ version: z.int().min(1), reason: z.string(), ts: EpochMs }).optional(),
    })
    .optional(),
});
export type GatewayStatus = z.infer<typeof GatewayStatus>;
