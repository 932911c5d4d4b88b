import { WIRE_VERSION } from '@edgefleet/protocol';
import type { GatewayStatus } from '@edgefleet/protocol';

export type ConfigStatus = NonNullable<GatewayStatus['config']>;

export interface StatusInput {
  gatewayId: string;
  state: GatewayStatus['state'];
  ts: number;
  reason?: string;
  softwareVersion?: string;
  config?: ConfigStatus;
}

/** The retained status payload: online after each connect, offline on stop and as the last will. */
export function buildStatus(input: StatusInput): GatewayStatus {
  return {
    v: WIRE_VERSION,
    gateway: input.gatewayId,
    state: input.state,
    ts: input.ts,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
    ...(input.softwareVersion === undefined ? {} : { software: { gateway: input.softwareVersion, protocol: WIRE_VERSION } }),
    ...(input.config === undefined ? {} : { config: input.config }),
  };
}
