// Child process of srv-ingest: N simulated gateways (mqtt.js clients with their own credentials)
// in one process apart from the server, as the gateways of many sites would be.
//   srv-gateways-child.ts SPEC_JSON   {port, gateways: [{id, secret}], batches, batchSize, window}
// Connects every gateway, builds every payload, then prints {"connected": n}. On {"go": true}
// each gateway publishes its batches (TelemetryBatch, QoS 1) with at most `window` un-acked at a
// time, as the gateway's uplink drains a backlog; replies {"published", "ms"} after the last PUBACK.
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { topicFor } from '@edgefleet/protocol';
import { serveRpc } from './child-rpc.js';
import { telemetryBatch } from './srv-ingest-rows.js';

export interface GatewaysSpec {
  port: number;
  gateways: { id: string; secret: string }[];
  batches: number;
  batchSize: number;
  window: number;
}

/** Publishes `payloads` in order with at most `window` un-acked (the uplink's bounded in-flight window). */
async function drain(client: MqttClient, topic: string, payloads: readonly string[], window: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < payloads.length) {
      const payload = payloads[next++] ?? '';
      await client.publishAsync(topic, payload, { qos: 1 });
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: srv-gateways-child.ts SPEC_JSON');
  const spec = JSON.parse(readFileSync(file, 'utf8')) as GatewaysSpec;
  const clients = await Promise.all(spec.gateways.map((g) => mqtt.connectAsync(`mqtt://127.0.0.1:${spec.port}`, {
    clientId: g.id, username: g.id, password: g.secret, protocolVersion: 4, clean: true, reconnectPeriod: 0,
  })));
  const payloads = spec.gateways.map((g) => Array.from({ length: spec.batches }, (_, i) => JSON.stringify(telemetryBatch(g.id, i, spec.batchSize))));
  serveRpc(
    { connected: clients.length },
    async (request) => {
      if (request.go !== true) throw new Error(`srv-gateways-child: unknown request ${JSON.stringify(request)}`);
      const t0 = performance.now();
      await Promise.all(clients.map((c, i) => drain(c, topicFor(spec.gateways[i]?.id ?? '', 'telemetry'), payloads[i] ?? [], spec.window)));
      return { published: spec.gateways.length * spec.batches, ms: performance.now() - t0 };
    },
    async () => {
      await Promise.all(clients.map((c) => c.endAsync()));
    },
  );
}

await main();
