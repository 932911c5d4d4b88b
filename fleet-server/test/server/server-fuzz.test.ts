import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { topicFor } from '@edgefleet/protocol';
import { MAX_QUERY_LIMIT } from '../../src/store/query-limit.js';
import { garbageChannel, garbagePayload, seededRandom } from './payload-fuzz.js';
import { connectGateway, countHandled, fetchText, metricValue, publishJson, readings, startTestServer, telemetryBatch } from './server-helpers.js';
import type { TestServer } from './server-helpers.js';

const SEED = 20261128;
const GARBAGE = 10_000;
const VALID_EVERY = 50;

describe('fleet server ingest fuzz (acceptance: garbage on valid topics never stops ingest)', () => {
  let server: TestServer;
  let gw: MqttClient;

  beforeEach(async () => {
    server = await startTestServer();
    gw = await connectGateway(server.brokerPort, 'gw-a');
  });
  afterEach(async () => {
    await gw.endAsync();
    await server.cleanup();
  });

  it(`stays up, stores every valid reading and counts ${GARBAGE} malformed payloads (seed ${SEED})`, async () => {
    const handled = countHandled(server);
    const rand = seededRandom(SEED);
    let nextSeq = 1;
    const validAcks: Promise<void>[] = [];
    for (let i = 0; i < GARBAGE; i++) {
      // Garbage at QoS 0 (fire and forget), the valid batches at QoS 1 as the gateway sends them.
      gw.publish(topicFor('gw-a', garbageChannel(rand)), garbagePayload(rand, 'gw-a'), { qos: 0 });
      if (i % VALID_EVERY === 0) {
        const size = 1 + Math.floor(rand() * 20);
        validAcks.push(publishJson(gw, 'gw-a', 'telemetry', telemetryBatch('gw-a', readings(nextSeq, size))));
        nextSeq += size;
      }
    }
    await Promise.all(validAcks);
    // The QoS 0 garbage has no PUBACK: wait until every message was handled.
    await handled.until(GARBAGE + validAcks.length);

    expect(gw.connected).toBe(true);
    const stored = await server.store.telemetry({ gateway: 'gw-a', device: 'lift-1', point: 'floor', from: 0, to: 2e12, limit: MAX_QUERY_LIMIT });
    expect(stored.map((r) => r.seq)).toEqual(Array.from({ length: nextSeq - 1 }, (_, i) => i + 1));

    const metrics = (await fetchText(server.httpPort, '/metrics')).body;
    const rejected = metrics
      .split('\n')
      .filter((l) => l.startsWith('edgefleet_ingest_rejects_total{') && l.includes('gateway="gw-a"'))
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    expect(rejected).toBe(GARBAGE);
    expect(metricValue(metrics, 'edgefleet_ingest_rejects_total', { gateway: 'gw-a', reason: 'json' })).toBeGreaterThan(0);
    expect((await fetchText(server.httpPort, '/healthz')).status).toBe(200);
  }, 60_000);
});
