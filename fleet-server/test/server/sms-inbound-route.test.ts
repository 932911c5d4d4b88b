import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAckCode } from '../../src/dispatch/ack-code.js';
import { registerSmsInboundRoute } from '../../src/http/sms-inbound-route.js';
import { computeTwilioRequestSignature } from '../../src/notify/twilio-request-signature.js';
import { fakeClock, openTempStore, raiseAlert, T0 } from '../dispatch/sender-fixtures.js';
import type { FakeClock, TempStore } from '../dispatch/sender-fixtures.js';

const SECRET = 'sms-inbound-test-secret-0123456789';
const AUTH_TOKEN = 'twilio-auth-token-for-tests';
const PUBLIC = 'https://fleet.example.com';
const CONTACT_PHONE = '+4915112345678';

const form = (params: Record<string, string>): string => new URLSearchParams(params).toString();

describe('POST /sms/inbound', () => {
  let clock: FakeClock;
  let temp: TempStore;
  let app: FastifyInstance;
  let acknowledged: number[];

  async function build(twilioAuthToken?: string): Promise<void> {
    app = Fastify();
    registerSmsInboundRoute(app, {
      store: temp.store, secret: SECRET, now: clock.now, logger: pino({ level: 'silent' }), publicBaseUrl: `${PUBLIC}/`,
      twilioAuthToken, onAcknowledged: (id) => acknowledged.push(id),
    });
    await app.ready();
  }

  /** A form post signed as Twilio signs it (for the URL Twilio was configured with). */
  function signedPost(params: Record<string, string>, signWith = AUTH_TOKEN, query = ''): Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }> {
    const signature = computeTwilioRequestSignature(`${PUBLIC}/sms/inbound${query}`, params, signWith);
    return app.inject({
      method: 'POST', url: `/sms/inbound${query}`, payload: form(params),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    });
  }

  beforeEach(async () => {
    clock = fakeClock();
    temp = await openTempStore(clock);
    await temp.store.upsertContact({ id: 'c-ana', site: 'site-a', name: 'Ana', phone: CONTACT_PHONE, role: 'technician', escalationOrder: 1 });
    acknowledged = [];
  });

  afterEach(async () => {
    await app.close();
    await temp.cleanup();
  });

  it('acknowledges from a signed "ACK <code>" reply, answers TwiML and audits the contact', async () => {
    await build(AUTH_TOKEN);
    const alertId = await raiseAlert(temp.store, T0);
    clock.advance(30_000);
    const params = { From: CONTACT_PHONE, Body: `ack ${createAckCode(alertId, SECRET).toLowerCase()}`, MessageSid: 'SM1', AccountSid: 'AC1' };
    const res = await signedPost(params, AUTH_TOKEN, '?site=a');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/xml');
    expect(res.body).toContain(`<Message>Alert ${alertId} acknowledged.`);
    expect(await temp.store.getAlert(alertId)).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'contact:c-ana', acknowledgedAt: T0 + 30_000 });
    const audit = await temp.store.listAudit({ limit: 10 });
    expect(audit).toContainEqual(expect.objectContaining({ actor: 'contact:c-ana', action: 'alert.acknowledge', target: `alert:${alertId}` }));
    expect(acknowledged).toEqual([alertId]);
  });

  it('refuses 403 a missing or wrong signature and does not acknowledge', async () => {
    await build(AUTH_TOKEN);
    const alertId = await raiseAlert(temp.store, T0);
    const params = { From: CONTACT_PHONE, Body: `ACK ${createAckCode(alertId, SECRET)}` };
    expect((await signedPost(params, 'another-token')).statusCode).toBe(403);
    const unsigned = await app.inject({ method: 'POST', url: '/sms/inbound', payload: form(params), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(unsigned.statusCode).toBe(403);
    // Signed for other params (a Body swapped in transit).
    const signature = computeTwilioRequestSignature(`${PUBLIC}/sms/inbound`, { ...params, Body: 'hello' }, AUTH_TOKEN);
    const swapped = await app.inject({
      method: 'POST', url: '/sms/inbound', payload: form(params),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    });
    expect(swapped.statusCode).toBe(403);
    expect((await temp.store.getAlert(alertId))?.state).toBe('raised');
    expect(acknowledged).toEqual([]);
  });

  it('answers an empty TwiML to a stranger, a wrong code or a non-ACK text, and says so for an alert already acknowledged', async () => {
    await build(AUTH_TOKEN);
    const alertId = await raiseAlert(temp.store, T0);
    const code = createAckCode(alertId, SECRET);
    for (const params of [
      { From: '+4930000000', Body: `ACK ${code}` },
      { From: CONTACT_PHONE, Body: `ACK ${alertId}-AAAAAA` },
      { From: CONTACT_PHONE, Body: 'on my way' },
    ]) {
      const res = await signedPost(params);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('<Message>');
    }
    expect((await temp.store.getAlert(alertId))?.state).toBe('raised');
    expect((await signedPost({ From: CONTACT_PHONE, Body: `ACK ${code}` })).body).toContain('acknowledged.');
    expect((await signedPost({ From: CONTACT_PHONE, Body: `ACK ${code}` })).body).toContain('already acknowledged or resolved');
    expect(acknowledged).toEqual([alertId]);
  });

  it('without a Twilio auth token accepts unsigned posts (the code and the sender are still checked); 400 without From/Body', async () => {
    await build(undefined);
    const alertId = await raiseAlert(temp.store, T0);
    const post = (payload: string): Promise<{ statusCode: number }> =>
      app.inject({ method: 'POST', url: '/sms/inbound', payload, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect((await post(form({ Body: 'ACK 1-AAAAAA' }))).statusCode).toBe(400);
    const res = await post(form({ From: CONTACT_PHONE, Body: `ACK ${createAckCode(alertId, SECRET)}` }));
    expect(res.statusCode).toBe(200);
    expect((await temp.store.getAlert(alertId))?.acknowledgedBy).toBe('contact:c-ana');
  });
});
