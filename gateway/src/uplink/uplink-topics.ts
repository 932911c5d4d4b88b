import { parseTopic, topicFor, UPLINK_CHANNELS } from '@edgefleet/protocol';
import type { DownlinkChannel, UplinkChannel } from '@edgefleet/protocol';
import { UplinkError } from './uplink-error.js';

/** The topic of one of this gateway's uplink channels, checked to round-trip through parseTopic. */
export function uplinkTopic(gatewayId: string, channel: UplinkChannel): string {
  const topic = topicFor(gatewayId, channel);
  assertUplinkTopic(gatewayId, topic);
  return topic;
}

/**
 * Throws UPLINK_TOPIC_DENIED unless `topic` is one of `gatewayId`'s uplink channels — the only
 * topics the broker's ACL lets a gateway publish to (ARCHITECTURE.md "Wire contract").
 */
export function assertUplinkTopic(gatewayId: string, topic: string): UplinkChannel {
  const parsed = parseTopic(topic);
  if (parsed === undefined || parsed.gatewayId !== gatewayId || !(UPLINK_CHANNELS as readonly string[]).includes(parsed.channel)) {
    throw new UplinkError('UPLINK_TOPIC_DENIED', `refusing to publish to "${topic}": gateway ${gatewayId} may publish only to its own ${UPLINK_CHANNELS.join('/')} channels`);
  }
  return parsed.channel as UplinkChannel;
}

/** Which downlink channel of this gateway a received topic is, or undefined for anything else. */
export function downlinkChannelOf(gatewayId: string, topic: string): DownlinkChannel | undefined {
  const parsed = parseTopic(topic);
  if (parsed === undefined || parsed.gatewayId !== gatewayId) return undefined;
  return parsed.channel === 'config' || parsed.channel === 'cmd' ? parsed.channel : undefined;
}

export type GatewayTopics = Readonly<Record<UplinkChannel | DownlinkChannel, string>>;

/** Every topic of one gateway, built once (topicFor refuses an id that is not a slug). */
export function topicsOf(gatewayId: string): GatewayTopics {
  return Object.freeze({
    telemetry: uplinkTopic(gatewayId, 'telemetry'),
    events: uplinkTopic(gatewayId, 'events'),
    status: uplinkTopic(gatewayId, 'status'),
    health: uplinkTopic(gatewayId, 'health'),
    'cmd-result': uplinkTopic(gatewayId, 'cmd-result'),
    config: topicFor(gatewayId, 'config'),
    cmd: topicFor(gatewayId, 'cmd'),
  });
}
