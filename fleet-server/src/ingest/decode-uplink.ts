import { CommandResult, EventBatch, GatewayHealth, GatewayStatus, TelemetryBatch } from '@edgefleet/protocol';
import type { UplinkChannel } from '@edgefleet/protocol';

export type UplinkMessage =
  | { channel: 'telemetry'; body: TelemetryBatch }
  | { channel: 'events'; body: EventBatch }
  | { channel: 'status'; body: GatewayStatus }
  | { channel: 'health'; body: GatewayHealth }
  | { channel: 'cmd-result'; body: CommandResult };

/**
 * Why an uplink message was not stored: the `reason` label of the reject counter. All but
 * 'store-unavailable' are dropped and acknowledged; 'store-unavailable' is refused without PUBACK,
 * so the gateway sends it again.
 */
export type RejectReason = 'json' | 'schema' | 'gateway-mismatch' | 'store' | 'store-unavailable';

export type DecodeResult = { ok: true; message: UplinkMessage } | { ok: false; reason: RejectReason; detail: string };

const SCHEMAS = {
  telemetry: TelemetryBatch,
  events: EventBatch,
  status: GatewayStatus,
  health: GatewayHealth,
  'cmd-result': CommandResult,
} as const;

/**
 * Parses and validates one uplink payload for the topic's gateway. Never throws: a payload
 * that is not JSON, fails the channel's schema, or names another gateway than its topic is a
 * reject with a reason (docs/mqtt-topics.md: the topic is the authenticated identity).
 */
export function decodeUplink(gatewayId: string, channel: UplinkChannel, payload: Buffer): DecodeResult {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: 'json', detail: (err as Error).message };
  }
  const result = SCHEMAS[channel].safeParse(json);
  if (!result.success) {
    const first = result.error.issues[0];
    const detail = first === undefined ? 'invalid' : `${first.path.join('.') || '(root)'}: ${first.message}`;
    return { ok: false, reason: 'schema', detail };
  }
  const body = result.data;
  if (body.gateway !== gatewayId) {
    return { ok: false, reason: 'gateway-mismatch', detail: `payload gateway "${body.gateway}" on the topic of "${gatewayId}"` };
  }
  // The cast pairs the channel with the schema it was validated by (SCHEMAS is keyed by channel).
  return { ok: true, message: { channel, body } as UplinkMessage };
}
