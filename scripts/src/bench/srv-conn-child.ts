// Child process of srv-connections: many gateway connections, in a process apart from the broker
// under test, so the broker's RSS holds only its side of each connection.
//   srv-conn-child.ts SPEC_JSON   {port, gateways: [{id, secret?}], sourceAddresses}
// Each gateway connects as the real uplink does (client id = gateway id, its credentials when
// given, a retained offline will on its status topic, keepalive 60 s) and subscribes to its
// config and cmd topics (QoS 1). Connection i binds to 127.0.0.(2 + i % sourceAddresses): the
// fleet server limits connects per remote address (120 a minute), as a site's NAT would see it.
// Prints {"connected", "failed", "firstError", "ms"} once every attempt has settled; the
// connections stay open until stdin closes.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { topicFor } from '@edgefleet/protocol';
import { serveRpc } from './child-rpc.js';

export interface ConnectionsSpec {
  port: number;
  gateways: { id: string; secret?: string }[];
  sourceAddresses: number;
}

/** Connections opened at once: enough to be quick, few enough not to overflow the listen backlog. */
const CONCURRENCY = 50;

function connectOne(port: number, localAddress: string, g: { id: string; secret?: string }): Promise<MqttClient> {
  const options: IClientOptions = {
    clientId: g.id, protocolVersion: 4, clean: true, keepalive: 60, reconnectPeriod: 0, connectTimeout: 30_000,
    ...(g.secret === undefined ? {} : { username: g.id, password: g.secret }),
    will: { topic: topicFor(g.id, 'status'), payload: Buffer.from(JSON.stringify({ v: 1, gateway: g.id, state: 'offline', ts: Date.now(), reason: 'lastwill' })), qos: 1, retain: true },
  };
  // mqtt.js' own TCP builder cannot bind a source address; a StreamBuilder can (mqtt.js' transport seam).
  const client = new mqtt.MqttClient(() => net.createConnection({ port, host: '127.0.0.1', localAddress }), options);
  return new Promise((resolve, reject) => {
    client.once('connect', () => {
      client.off('error', reject);
      client.subscribeAsync([topicFor(g.id, 'config'), topicFor(g.id, 'cmd')], { qos: 1 }).then(() => resolve(client), reject);
    });
    client.once('error', reject);
    client.once('close', () => reject(new Error('closed before CONNACK')));
  });
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: srv-conn-child.ts SPEC_JSON');
  const spec = JSON.parse(readFileSync(file, 'utf8')) as ConnectionsSpec;
  const clients: MqttClient[] = [];
  const errors: string[] = [];
  const t0 = performance.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < spec.gateways.length) {
      const i = next++;
      const g = spec.gateways[i];
      if (g === undefined) continue;
      try {
        clients.push(await connectOne(spec.port, `127.0.0.${2 + (i % spec.sourceAddresses)}`, g));
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  serveRpc(
    { connected: clients.length, failed: errors.length, firstError: errors[0] ?? null, ms: Math.round(performance.now() - t0) },
    async (request) => {
      // Still open: a broker that dropped some would show fewer here.
      if (request.count === true) return { open: clients.filter((c) => c.connected).length };
      throw new Error(`srv-conn-child: unknown request ${JSON.stringify(request)}`);
    },
    async () => {
      // A clean DISCONNECT: no wills for the broker to publish on the way out.
      await Promise.all(clients.map((c) => c.endAsync()));
    },
  );
}

await main();
