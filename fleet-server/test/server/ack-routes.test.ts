import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notificationKey } from '../../src/alerts/index.js';
import { createAckToken } from '../../src/dispatch/index.js';
import { registerAckRoutes } from '../../src/http/ack-routes.js';
import { fakeClock, openTempStore, raiseAlert, T0 } from '../dispatch/sender-fixtures.js';
import type { FakeClock, TempStore } from '../dispatch/sender-fixtures.js';

const SECRET = 'ack-routes-test-secret-0123456789';

describe('GET /ack/:token', () => {
  let clock: FakeClock;
  let temp: TempStore;
  let app: FastifyInstance;
  let acknowledged: number[];

  beforeEach(async () => {
    clock = fakeClock();
    temp = await openTempStore(clock);
    acknowledged = [];
    app = Fastify({ routerOptions: { maxParamLength: 1_024 } });
    registerAckRoutes(app, { store: temp.store, secret: SECRET, now: clock.now, onAcknowledged: (id) => acknowledged.push(id) });
  });

  afterEach(async () => {
    await app.close();
    await temp.cleanup();
  });

  const tokenFor = (alertId: number, expiresAt = T0 + 60_000): string =>
    createAckToken({ alertId, notificationKey: notificationKey(alertId, 1, 0, 'anna'), expiresAt }, SECRET);

  it('acknowledges the alert, answers a page, audits the link and reports the id', async () => {
    const alertId = await raiseAlert(temp.store, T0);
    const res = await app.inject({ method: 'GET', url: `/ack/${tokenFor(alertId)}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('passenger trapped');
    expect(await temp.store.getAlert(alertId)).toMatchObject({ state: 'acknowledged', acknowledgedBy: expect.stringMatching(new RegExp(`^ack-link:alert:${alertId}:step:1:round:0:`)) });
    expect(acknowledged).toEqual([alertId]);
  });

  it('answers 410 ACK_USED on a second tap and leaves the alert as it was', async () => {
    const alertId = await raiseAlert(temp.store, T0);
    const url = `/ack/${tokenFor(alertId)}`;
    await app.inject({ method: 'GET', url });
    const again = await app.inject({ method: 'GET', url });
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({ error: { code: 'ACK_USED' } });
    expect(acknowledged).toEqual([alertId]);
  });

  it('answers 410 ACK_EXPIRED after the expiry and does not acknowledge', async () => {
    const alertId = await raiseAlert(temp.store, T0);
    clock.advance(2 * 60_000);
    const expired = await app.inject({ method: 'GET', url: `/ack/${tokenFor(alertId, T0 + 60_000)}` });
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ error: { code: 'ACK_EXPIRED' } });
    expect((await temp.store.getAlert(alertId))?.state).toBe('raised');
  });

  it('answers 400 ACK_TAMPERED for a forged signature and 400 ACK_MALFORMED for garbage', async () => {
    const alertId = await raiseAlert(temp.store, T0);
    const forged = createAckToken({ alertId, notificationKey: 'k', expiresAt: T0 + 60_000 }, 'another-secret-0123456789');
    const tampered = await app.inject({ method: 'GET', url: `/ack/${forged}` });
    expect(tampered.statusCode).toBe(400);
    expect(tampered.json()).toMatchObject({ error: { code: 'ACK_TAMPERED' } });
    const malformed = await app.inject({ method: 'GET', url: '/ack/not-a-token' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'ACK_MALFORMED' } });
    expect((await temp.store.getAlert(alertId))?.state).toBe('raised');
  });

  it('answers 404 ACK_UNKNOWN_ALERT for a valid link to an alert that does not exist', async () => {
    const res = await app.inject({ method: 'GET', url: `/ack/${tokenFor(999)}` });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'ACK_UNKNOWN_ALERT' } });
  });
});
