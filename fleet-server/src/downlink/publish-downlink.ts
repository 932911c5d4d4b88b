import type { Aedes } from 'aedes';
import { CHANNEL_DELIVERY, topicFor } from '@edgefleet/protocol';
import type { DownlinkChannel } from '@edgefleet/protocol';

/**
 * Publishes a downlink message with the channel's QoS and retain (protocol CHANNEL_DELIVERY):
 * config retained QoS 1, so a gateway that subscribes later still gets the newest; cmd QoS 1
 * not retained, queued by the broker for a gateway with a persistent session that is offline.
 */
export function publishDownlink(broker: Aedes, gatewayId: string, channel: DownlinkChannel, body: unknown): Promise<void> {
  const { qos, retain } = CHANNEL_DELIVERY[channel];
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    broker.publish({ cmd: 'publish', topic: topicFor(gatewayId, channel), payload, qos, retain, dup: false }, (err) => {
      if (err) reject(err);
      else resolve();
    });
  });
}
