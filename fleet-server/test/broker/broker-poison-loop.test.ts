import { afterEach, describe, it, expect } from 'vitest';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { topicFor } from '@edgefleet/protocol';
import type { RunningBroker } from '../../src/broker/start-broker.js';
import { asGateway, connectOnce, startTestBroker } from './mqtt-helpers.js';

let running: RunningBroker | undefined;
let client: MqttClient | undefined;

afterEach(async () => {
  await client?.endAsync(true);
  await running?.close();
  client = undefined;
  running = undefined;
});

describe('broker against the denied-publish poison loop', () => {
  it('counts the repeated client errors and the per-client-id limit finally refuses the reconnects', async () => {
    const attempts = 3;
    running = await startTestBroker({
      perClientId: { attempts, windowMs: 60_000 },
      perAddress: { attempts: 1000, windowMs: 60_000 },
      now: () => 0,
    });
    // mqtt.js keeps the un-acked QoS 1 publish and re-sends it after every reconnect.
    client = mqtt.connect(`mqtt://127.0.0.1:${running.port}`, {
      ...asGateway('gw-a'),
      protocolVersion: 4,
      reconnectPeriod: 10,
    });
    const refused = new Promise<number | undefined>((resolve) =>
      client!.on('error', (err) => resolve((err as { code?: number }).code)),
    );
    client.once('connect', () => client!.publish(topicFor('gw-b', 'telemetry'), 'poison', { qos: 1 }));
    expect(await refused).toBe(5);
    const stats = running.stats();
    expect(stats.clientErrors.get('gw-a')).toBe(attempts);
    expect(stats.deniedPublishes).toBe(attempts);
    expect(stats.refusedConnects.rateLimited).toBe(1);
  });

  it('close() ends connected gateways', async () => {
    running = await startTestBroker();
    client = await connectOnce(running.port, { ...asGateway('gw-a'), reconnectPeriod: 0 });
    const gone = new Promise<void>((resolve) => client!.once('close', () => resolve()));
    await running.close();
    running = undefined;
    await gone;
    expect(client.connected).toBe(false);
  });
});
