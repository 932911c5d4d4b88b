import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { topicFor } from '@edgefleet/protocol';
import type { GatewayEvent, GatewayStatus } from '@edgefleet/protocol';
import { MAX_QUERY_LIMIT } from '../../src/store/query-limit.js';
import {
  connectGateway, countHandled, fetchText, metricValue, publishJson, readings, startTestServer, telemetryBatch,
} from './server-helpers.js';
import type { HandledCounter, TestServer } from './server-helpers.js';

const T0 = 1_700_000_000_000;

function alarm(seq: number, state: 'raise' | 'clear' = 'raise'): GatewayEvent {
  return { type: 'alarm', seq, ts: T0 + seq, device: 'lift-1', rule: 'entrapment', state, severity: 'critical', message: 'trapped', values: {} };
}

async function storedSeqs(server: TestServer, gateway: string): Promise<number[]> {
  const rows = await server.store.telemetry({ gateway, device: 'lift-1', point: 'floor', from: 0, to: T0 * 2, limit: MAX_QUERY_LIMIT });
  return rows.map((r) => r.seq);
}

describe('fleet server ingest over MQTT', () => {
  let server: TestServer;
  let gw: MqttClient;
  let handled: HandledCounter;

  beforeEach(async () => {
    server = await startTestServer();
    handled = countHandled(server);
    gw = await connectGateway(server.brokerPort, 'gw-a');
  });
  afterEach(async () => {
    await gw.endAsync();
    await server.cleanup();
  });

  it('stores a telemetry batch and its latest value', async () => {
    await publishJson(gw, 'gw-a', 'telemetry', telemetryBatch('gw-a', readings(1, 5)));
    await handled.until(1);
    expect(await storedSeqs(server, 'gw-a')).toEqual([1, 2, 3, 4, 5]);
    const latest = await server.store.latestValues('gw-a', 'lift-1');
    expect(latest.map((l) => [l.point, l.seq, l.value])).toEqual([['floor', 5, 5]]);
  });

  it('stores a replayed uplink message (same seq) once', async () => {
    const batch = telemetryBatch('gw-a', readings(1, 3));
    await publishJson(gw, 'gw-a', 'telemetry', batch);
    await publishJson(gw, 'gw-a', 'telemetry', batch);
    await handled.until(2);
    expect(await storedSeqs(server, 'gw-a')).toEqual([1, 2, 3]);
    const metrics = (await fetchText(server.httpPort, '/metrics')).body;
    expect(metricValue(metrics, 'edgefleet_ingest_items_duplicate_total', { gateway: 'gw-a', stream: 'telemetry' })).toBe(3);
  });

  it('stores a batch re-split differently after a reconnect without duplicates', async () => {
    const all = readings(1, 10);
    await publishJson(gw, 'gw-a', 'telemetry', telemetryBatch('gw-a', all.slice(0, 4)));
    await publishJson(gw, 'gw-a', 'telemetry', telemetryBatch('gw-a', all.slice(0, 7)));
    await publishJson(gw, 'gw-a', 'telemetry', telemetryBatch('gw-a', all.slice(2, 10)));
    await handled.until(3);
    expect(await storedSeqs(server, 'gw-a')).toEqual(all.map((r) => r.seq));
  });

  it('reports only newly stored events to listeners', async () => {
    const seen: number[][] = [];
    server.ingest.listen({ onEvents: (gatewayId, events) => seen.push([gatewayId === 'gw-a' ? 1 : 0, ...events.map((e) => e.seq)]) });
    const batch = (items: GatewayEvent[]): object => ({ v: 1, gateway: 'gw-a', stream: 'events', sentAt: T0, items });
    await publishJson(gw, 'gw-a', 'events', batch([alarm(1), alarm(2)]));
    await publishJson(gw, 'gw-a', 'events', batch([alarm(1), alarm(2)]));
    await publishJson(gw, 'gw-a', 'events', batch([alarm(2), alarm(3, 'clear')]));
    await handled.until(3);
    expect(seen).toEqual([[1, 1, 2], [1, 3]]);
    expect((await server.store.events({ gateway: 'gw-a' })).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('stores a command result as a notice event, once', async () => {
    const result = { v: 1, gateway: 'gw-a', stream: 'events', seq: 7, id: 'cmd-1', device: 'lift-1', status: 'failed', ts: T0, reason: 'timeout' };
    await publishJson(gw, 'gw-a', 'cmd-result', result);
    await publishJson(gw, 'gw-a', 'cmd-result', result);
    await handled.until(2);
    const events = await server.store.events({ gateway: 'gw-a' });
    expect(events).toHaveLength(1);
    expect(events[0]?.event).toMatchObject({ type: 'notice', code: 'COMMAND_RESULT', seq: 7, device: 'lift-1', details: { id: 'cmd-1', status: 'failed' } });
  });

  it('records status (and tells listeners) and health', async () => {
    const statuses: GatewayStatus[] = [];
    server.ingest.listen({ onStatus: (s) => statuses.push(s) });
    await publishJson(gw, 'gw-a', 'status', { v: 1, gateway: 'gw-a', state: 'online', ts: T0 });
    await handled.until(1);
    expect((await server.store.getGateway('gw-a'))?.status).toBe('online');
    expect(statuses.map((s) => s.state)).toEqual(['online']);
    const health = {
      v: 1, gateway: 'gw-a', bootId: 'boot-1', seq: 1, ts: T0, uptimeS: 5,
      outbox: { events: { depth: 0 }, telemetry: { depth: 0, dropped: 0 }, bytes: 0, maxBytes: 1000 },
      buses: [], devices: [], clock: { source: 'ntp' }, config: { version: 0 },
    };
    await gw.publishAsync(topicFor('gw-a', 'health'), JSON.stringify(health), { qos: 1 });
    await handled.until(2);
    expect((await server.store.latestHealth('gw-a'))?.health.bootId).toBe('boot-1');
  });

  it('learns the devices a gateway reports polling (from gateway.yaml) into the inventory, from the newest health only', async () => {
    const device = (id: string, profile: string, name?: string) => ({ id, bus: 'rs485-1', profile, unit: 1, ...(name ? { name } : {}), state: 'online', polls: 3, failures: 0 });
    const health = (seq: number, ts: number, devices: object[]) => ({
      v: 1, gateway: 'gw-a', bootId: 'boot-1', seq, ts, uptimeS: 5,
      outbox: { events: { depth: 0 }, telemetry: { depth: 0, dropped: 0 }, bytes: 0, maxBytes: 1000 },
      buses: [], devices, clock: { source: 'ntp' }, config: { version: 0 },
    });
    await publishJson(gw, 'gw-a', 'health', health(2, T0 + 2_000, [device('lift-1', 'liftronic-lmi-200', 'Lift 1'), device('meter-1', 'aquametrix-um50')]));
    // Older than the one stored (QoS 0 health may arrive late): must not rename lift-1 back.
    await publishJson(gw, 'gw-a', 'health', health(1, T0 + 1_000, [device('lift-1', 'liftronic-lmi-200', 'Old name')]));
    await handled.until(2);
    const devices = await server.store.listDevices('gw-a');
    expect(devices.map((d) => [d.device, d.profile, d.name])).toEqual([
      ['lift-1', 'liftronic-lmi-200', 'Lift 1'], ['meter-1', 'aquametrix-um50', 'meter-1'],
    ]);
  });

  it('counts invalid payloads per gateway and reason, keeps the connection and stores interleaved valid traffic', async () => {
    const topic = topicFor('gw-a', 'telemetry');
    await gw.publishAsync(topic, '{"v":1,', { qos: 1 });
    await publishJson(gw, 'gw-a', 'telemetry', telemetryBatch('gw-a', readings(1, 2)));
    await publishJson(gw, 'gw-a', 'telemetry', { v: 1, gateway: 'gw-a', stream: 'telemetry', sentAt: T0, items: [{ seq: 'x' }] });
    await publishJson(gw, 'gw-a', 'telemetry', telemetryBatch('gw-b', readings(3, 2)));
    await publishJson(gw, 'gw-a', 'status', { v: 1, gateway: 'gw-b', state: 'online', ts: T0 });
    await publishJson(gw, 'gw-a', 'telemetry', telemetryBatch('gw-a', readings(5, 2)));
    await handled.until(6);

    expect(gw.connected).toBe(true);
    expect(await storedSeqs(server, 'gw-a')).toEqual([1, 2, 5, 6]);
    expect(await storedSeqs(server, 'gw-b')).toEqual([]);
    expect((await server.store.getGateway('gw-b'))?.status).toBe('unknown');
    const metrics = (await fetchText(server.httpPort, '/metrics')).body;
    const rejects = (channel: string, reason: string): number =>
      metricValue(metrics, 'edgefleet_ingest_rejects_total', { gateway: 'gw-a', channel, reason });
    expect(rejects('telemetry', 'json')).toBe(1);
    expect(rejects('telemetry', 'schema')).toBe(1);
    expect(rejects('telemetry', 'gateway-mismatch')).toBe(1);
    expect(rejects('status', 'gateway-mismatch')).toBe(1);
    expect(metricValue(metrics, 'edgefleet_ingest_messages_total', { gateway: 'gw-a', channel: 'telemetry' })).toBe(5);
  });

  it('serves /healthz and the Prometheus content type on /metrics', async () => {
    const health = await fetchText(server.httpPort, '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ ok: true, checks: { store: 'ok', broker: 'ok' } });
    const metrics = await fetchText(server.httpPort, '/metrics');
    expect(metrics.type).toContain('text/plain; version=0.0.4');
    expect(metricValue(metrics.body, 'edgefleet_mqtt_connected_clients', {})).toBe(1);
  });
});
