import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { GatewayEvent } from '@edgefleet/protocol';
import { MAX_QUERY_LIMIT } from '../../src/store/query-limit.js';
import { connectGateway, publishJson, readings, startTestServer } from './server-helpers.js';
import type { TestServer } from './server-helpers.js';

const T0 = 1_700_000_000_000;
const NEW = 1_790_000_000_000;

function alarm(seq: number, state: 'raise' | 'clear', ts: number): GatewayEvent {
  return { type: 'alarm', seq, ts, device: 'lift-1', rule: 'entrapment', state, severity: 'critical', message: 'trapped', values: {} };
}
const eventBatch = (epoch: number | undefined, items: GatewayEvent[]): object =>
  ({ v: 1, gateway: 'gw-a', stream: 'events', ...(epoch === undefined ? {} : { epoch }), sentAt: T0, items });

/** Polls `check` until it holds, at most `ms` (generous: a loaded CI box is slow, not wrong): the alert engine works after the PUBACK. */
async function eventually(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A gateway whose outbox file was replaced sends seqs from 1 again under a new epoch
 * (docs/mqtt-topics.md "Outbox epoch"): the server stores them and the alert engine sees them.
 */
describe('fleet server ingest: outbox epochs', () => {
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

  it('stores readings of a new epoch whose seqs collide with the old file\'s, and still dedups a re-send', async () => {
    await publishJson(gw, 'gw-a', 'telemetry', { v: 1, gateway: 'gw-a', stream: 'telemetry', sentAt: T0, items: readings(1, 3) });
    const later = readings(1, 3, T0 + 60_000);
    const fresh = { v: 1, gateway: 'gw-a', stream: 'telemetry', epoch: NEW, sentAt: T0, items: later };
    await publishJson(gw, 'gw-a', 'telemetry', fresh);
    await publishJson(gw, 'gw-a', 'telemetry', fresh);
    const rows = await server.store.telemetry({ gateway: 'gw-a', device: 'lift-1', point: 'floor', from: 0, to: T0 * 2, limit: MAX_QUERY_LIMIT });
    expect(rows.map((r) => [r.seq, r.ts - T0])).toEqual([[1, 1_000], [2, 2_000], [3, 3_000], [1, 61_000], [2, 62_000], [3, 63_000]]);
    expect((await server.store.latestValues('gw-a', 'lift-1')).map((l) => l.ts - T0)).toEqual([63_000]);
  });

  it('passes the new epoch\'s events, and only the newly stored ones, to the listeners and the alert engine', async () => {
    const seen: string[] = [];
    server.ingest.listen({ onEvents: (_gw, events) => seen.push(events.map((e) => `${e.seq}:${e.type === 'alarm' ? e.state : e.type}`).join(',')) });
    // The old outbox file (sending no epoch): raised and cleared.
    await publishJson(gw, 'gw-a', 'events', eventBatch(undefined, [alarm(1, 'raise', T0 + 1), alarm(2, 'clear', T0 + 2)]));
    await eventually(async () => (await server.store.listAlerts({ gateway: 'gw-a' })).length === 1 && (await server.store.listOpenAlerts('gw-a')).length === 0, 'the first alert resolved');
    // The replacement file: the same seqs, a new entrapment.
    await publishJson(gw, 'gw-a', 'events', eventBatch(NEW, [alarm(1, 'raise', T0 + 10_000)]));
    await eventually(async () => (await server.store.listOpenAlerts('gw-a')).length === 1, 'an open alert for the new epoch\'s raise');
    // A re-send of the new file's seq 1 with its seq 2: the listener hears of seq 2 only.
    await publishJson(gw, 'gw-a', 'events', eventBatch(NEW, [alarm(1, 'raise', T0 + 10_000), alarm(2, 'clear', T0 + 10_001)]));
    await eventually(async () => (await server.store.listOpenAlerts('gw-a')).length === 0, 'the second alert resolved');
    expect(seen).toEqual(['1:raise,2:clear', '1:raise', '2:clear']);
    const events = await server.store.events({ gateway: 'gw-a' });
    expect(events.map((e) => [e.epoch, e.seq])).toEqual([[0, 1], [0, 2], [NEW, 1], [NEW, 2]]);
  });

  it('stores a command result of a new epoch whose seq an old result already used', async () => {
    const result = { v: 1, gateway: 'gw-a', stream: 'events', seq: 7, id: 'cmd-1', device: 'lift-1', status: 'ok', ts: T0 };
    await publishJson(gw, 'gw-a', 'cmd-result', result);
    await publishJson(gw, 'gw-a', 'cmd-result', { ...result, epoch: NEW, id: 'cmd-2', ts: T0 + 1 });
    await publishJson(gw, 'gw-a', 'cmd-result', { ...result, epoch: NEW, id: 'cmd-2', ts: T0 + 1 });
    const events = await server.store.events({ gateway: 'gw-a' });
    expect(events.map((e) => [e.epoch, e.seq, e.event.type === 'notice' ? e.event.details?.['id'] : undefined])).toEqual([[0, 7, 'cmd-1'], [NEW, 7, 'cmd-2']]);
  });
});
