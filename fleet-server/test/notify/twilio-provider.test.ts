import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioProvider } from '../../src/notify/index.js';
import type { SmsMessage } from '../../src/notify/index.js';
import { findClosedPortUrl, startFakeHttpServer } from './fake-http-server.js';
import type { FakeHttpServer, FakeReply, RecordedRequest } from './fake-http-server.js';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'token-secret';
const MESSAGE: SmsMessage = { to: '+4930123456', body: 'Tower A lift 2: Entrapment ACK http://x/a/1', idempotencyKey: 'n-1' };

/** What Twilio itself checks before accepting a message. */
function answerLikeTwilio(req: RecordedRequest): FakeReply {
  const expectedAuth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
  if (req.headers.authorization !== expectedAuth) {
    return { status: 401, body: JSON.stringify({ code: 20003, message: 'Authenticate', status: 401 }) };
  }
  const form = new URLSearchParams(req.body);
  if (!form.get('To') || !form.get('Body') || !(form.get('From') || form.get('MessagingServiceSid'))) {
    return { status: 400, body: JSON.stringify({ code: 21604, message: 'A To, From and Body are required', status: 400 }) };
  }
  return { status: 201, body: JSON.stringify({ sid: 'SM00000000000000000000000000000001', status: 'queued' }) };
}

describe('twilio provider against a fake Twilio', () => {
  let fake: FakeHttpServer;
  beforeAll(async () => {
    fake = await startFakeHttpServer();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.respondWith(answerLikeTwilio);
  });

  it('POSTs a form-encoded Messages.json with basic auth and returns the sid', async () => {
    const provider = createTwilioProvider({ baseUrl: fake.baseUrl, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006' });
    const result = await provider.send(MESSAGE);
    expect(result).toMatchObject({ ok: true, providerId: 'SM00000000000000000000000000000001', status: 201 });
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({ To: MESSAGE.to, From: '+15005550006', Body: MESSAGE.body });
  });

  it('sends MessagingServiceSid instead of From when configured', async () => {
    const provider = createTwilioProvider({ baseUrl: fake.baseUrl, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, messagingServiceSid: 'MG123' });
    expect((await provider.send(MESSAGE)).ok).toBe(true);
    const form = new URLSearchParams(fake.requests[0]!.body);
    expect(form.get('MessagingServiceSid')).toBe('MG123');
    expect(form.has('From')).toBe(false);
  });

  it('rejects a configuration with both or neither sender', () => {
    const base = { baseUrl: fake.baseUrl, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN };
    expect(() => createTwilioProvider(base)).toThrow(/exactly one of "from" and "messagingServiceSid"/);
    expect(() => createTwilioProvider({ ...base, from: '+1', messagingServiceSid: 'MG1' })).toThrow(/exactly one/);
  });

  it('a wrong auth token is a 401 the fake refuses, not retryable', async () => {
    const provider = createTwilioProvider({ baseUrl: fake.baseUrl, accountSid: ACCOUNT_SID, authToken: 'wrong', from: '+1500' });
    const result = await provider.send(MESSAGE);
    expect(result).toMatchObject({ ok: false, retryable: false, status: 401 });
    expect(result.ok ? '' : result.error).toContain('code 20003');
  });

  it.each([
    { status: 500, retryable: true },
    { status: 503, retryable: true },
    { status: 429, retryable: true },
    { status: 400, retryable: false },
    { status: 404, retryable: false },
  ])('HTTP $status is retryable=$retryable', async ({ status, retryable }) => {
    fake.respondWith(() => ({ status, body: JSON.stringify({ code: 1, message: 'x', status }) }));
    const provider = createTwilioProvider({ baseUrl: fake.baseUrl, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+1500' });
    const result = await provider.send(MESSAGE);
    expect(result).toMatchObject({ ok: false, retryable, status });
    expect(result.ok ? undefined : result.reply).toContain('"code":1');
  });

  it('a 201 without a sid is not treated as delivered and not resent', async () => {
    fake.respondWith(() => ({ status: 201, body: '<html>proxy</html>' }));
    const provider = createTwilioProvider({ baseUrl: fake.baseUrl, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+1500' });
    expect(await provider.send(MESSAGE)).toMatchObject({ ok: false, retryable: false, status: 201 });
  });

  it('a provider that never answers is a retryable timeout', async () => {
    fake.respondWith(() => 'hang');
    // 1 s, not 150 ms: the timer runs from before the connect, and a process starved for 150 ms
    // gave up before the fake (in this process) had seen the request it counts below.
    const provider = createTwilioProvider({ baseUrl: fake.baseUrl, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+1500', timeoutMs: 1_000 });
    const result = await provider.send(MESSAGE);
    expect(result).toEqual({ ok: false, retryable: true, error: 'timeout after 1000 ms' });
    expect(fake.requests).toHaveLength(1);
  });

  it('an invalid recipient is refused before any request is made', async () => {
    const provider = createTwilioProvider({ baseUrl: fake.baseUrl, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+1500' });
    const result = await provider.send({ ...MESSAGE, to: '030 123456' });
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(fake.requests).toHaveLength(0);
  });

  it('a refused connection is retryable and never throws', async () => {
    const provider = createTwilioProvider({ baseUrl: await findClosedPortUrl(), accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+1500' });
    const result = await provider.send(MESSAGE);
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(result.ok ? '' : result.error).toMatch(/ECONNREFUSED/);
  });
});
