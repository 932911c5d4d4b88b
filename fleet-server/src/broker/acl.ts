import { UPLINK_CHANNELS, parseTopic, topicFor } from '@edgefleet/protocol';

// ARCHITECTURE.md "Wire contract": a gateway publishes only its uplink channels under its own
// prefix and subscribes only to its own downlink channels. Pure functions, so the table is testable.

const UPLINK: readonly string[] = UPLINK_CHANNELS;

/** `$SYS/` is the broker's own namespace (MQTT 3.1.1 §4.7.2): nobody writes there. */
export function isSysTopic(topic: string): boolean {
  return topic.startsWith('$');
}

/** May gateway `gatewayId` publish to `topic`? */
export function mayPublish(gatewayId: string, topic: string): boolean {
  if (isSysTopic(topic)) return false;
  const parsed = parseTopic(topic);
  return parsed !== undefined && parsed.gatewayId === gatewayId && UPLINK.includes(parsed.channel);
}

/**
 * May a will be published with no client? aedes does so for a peer broker that died; the will
 * was checked at connect, so only status topics are let through here.
 */
export function mayPublishOrphanWill(topic: string): boolean {
  return !isSysTopic(topic) && parseTopic(topic)?.channel === 'status';
}

/** May gateway `gatewayId` subscribe to `filter`? Only its exact config and cmd topics: no wildcards. */
export function maySubscribe(gatewayId: string, filter: string): boolean {
  return filter === topicFor(gatewayId, 'config') || filter === topicFor(gatewayId, 'cmd');
}

/** A gateway's last will must be its own status topic (ARCHITECTURE.md: "the last will sets offline"). */
export function isAllowedWill(gatewayId: string, willTopic: string): boolean {
  return willTopic === topicFor(gatewayId, 'status');
}
