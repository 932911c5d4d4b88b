import { afterEach, describe, expect, it } from 'vitest';
import { ActingGateway, API_TEST_STORES, startApiTestServer } from './downlink-fixtures.js';
import type { ApiTestServer } from './downlink-fixtures.js';
import { SseClient } from './sse-client.js';

interface AlertData { change: string; site: string; alert: { id: number; state: string; acknowledgedBy: string | null } }

let t: ApiTestServer | undefined;
let gw: ActingGateway | undefined;
let stream: SseClient | undefined;
afterEach(async () => {
  stream?.close();
  await gw?.close().catch(() => undefined);
  await t?.cleanup();
  [t, gw, stream] = [undefined, undefined, undefined];
});

/**
 * The alert events of changes made outside the API: the engine raising, the SMS sender queueing
 * and sending (gw-a's site "south" texts contact c-south at once through the fake webhook), and
 * the one-tap ack link in that text. All reach the stream through the one observation point.
 */
describe.each(API_TEST_STORES)('live alert events from the engine, the SMS sender and the ack link (%s)', (storeKind) => {
  it('raised, notification, notified, attempt, then acknowledged by the contact', async () => {
    t = await startApiTestServer(storeKind);
    const base = `http://127.0.0.1:${t.server.httpPort}`;
    const ticket = await t.call<{ ticket: string }>('mgr-south', 'POST', '/events/ticket');
    const opened = await SseClient.open(`${base}/api/v1/events?ticket=${ticket.body.ticket}`);
    if (!(opened instanceof SseClient)) throw new Error(`stream refused: ${opened.status}`);
    stream = opened;
    await stream.next('hello');
    gw = await ActingGateway.connect(t.server.brokerPort, 'gw-a');
    await gw.events([{ type: 'alarm', device: 'lift-1', rule: 'entrapment', state: 'raise', severity: 'critical', message: 'Passenger trapped', ts: Date.now(), values: {} }]);

    const raised = await stream.next<AlertData>('alert', (d) => d.change === 'raised');
    expect(raised).toMatchObject({ site: 'south', alert: { state: 'raised' } });
    const id = raised.alert.id;
    // The engine queues the text and marks the alert notified; then the sender's attempt.
    await stream.next<AlertData>('alert', (d) => d.change === 'notification' && d.alert.id === id);
    const notified = await stream.next<AlertData>('alert', (d) => d.change === 'notified');
    expect(notified.alert).toMatchObject({ id, state: 'notified' });
    await stream.next<AlertData>('alert', (d) => d.change === 'attempt' && d.alert.id === id);

    const sms = JSON.parse(t.sms.requests[0]!.body) as { body: string };
    const link = /\/ack\/[A-Za-z0-9_-]+/.exec(sms.body)?.[0];
    expect(link).toBeDefined();
    expect((await fetch(`${base}${link}`)).status).toBe(200);
    const acked = await stream.next<AlertData>('alert', (d) => d.change === 'acknowledged');
    expect(acked.alert).toMatchObject({ id, state: 'acknowledged', acknowledgedBy: expect.stringMatching(/^ack-link:alert:\d+:.*contact:c-south$/) });
  });
});
