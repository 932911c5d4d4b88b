/**
 * MQTT topics of the wire contract (ARCHITECTURE.md "Wire contract"): fleet/v1/gw/{gatewayId}/{channel}.
 * MQTT 3.1.1 only: aedes does not speak MQTT 5.
 */
export const TOPIC_PREFIX = 'fleet/v1/gw';

export const UPLINK_CHANNELS = ['telemetry', 'events', 'status', 'health', 'cmd-result'] as const;
export const DOWNLINK_CHANNELS = ['config', 'cmd'] as const;
export const CHANNELS = [...UPLINK_CHANNELS, ...DOWNLINK_CHANNELS] as const;

export type UplinkChannel = (typeof UPLINK_CHANNELS)[number];
export type DownlinkChannel = (typeof DOWNLINK_CHANNELS)[number];
export type Channel = (typeof CHANNELS)[number];

/** QoS and retain per channel: one table both sides obey (and docs/mqtt-topics.md lists). */
export const CHANNEL_DELIVERY: Readonly<Record<Channel, { qos: 0 | 1; retain: boolean }>> = {
  telemetry: { qos: 1, retain: false },
  events: { qos: 1, retain: false },
  status: { qos: 1, retain: true },
  health: { qos: 0, retain: false },
  'cmd-result': { qos: 1, retain: false },
  config: { qos: 1, retain: true },
  cmd: { qos: 1, retain: false },
};

/** Gateway ids are slugs: safe as one topic level (no '/', '+', '#'). */
const GATEWAY_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function isGatewayId(id: string): boolean {
  return GATEWAY_ID.test(id);
}

export function topicFor(gatewayId: string, channel: Channel): string {
  if (!isGatewayId(gatewayId)) throw new RangeError(`invalid gateway id "${gatewayId}": must be a lower-case slug`);
  return `${TOPIC_PREFIX}/${gatewayId}/${channel}`;
}

/** The gateway's own prefix, for ACLs: a gateway publishes only below it. */
export function gatewayPrefix(gatewayId: string): string {
  return `${TOPIC_PREFIX}/${gatewayId}/`;
}

export interface ParsedTopic {
  gatewayId: string;
  channel: Channel;
}

/** Parses a topic of the contract; undefined for anything else (foreign topics, wildcards, bad ids). */
export function parseTopic(topic: string): ParsedTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}/${parts[2]}` !== TOPIC_PREFIX) return undefined;
  const [, , , gatewayId, channel] = parts;
  if (gatewayId === undefined || channel === undefined || !isGatewayId(gatewayId)) return undefined;
  if (!(CHANNELS as readonly string[]).includes(channel)) return undefined;
  return { gatewayId, channel: channel as Channel };
}
