import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookProvider, signWebhookBody, verifyWebhookSignature } from '../../src/notify/index.js';
import type { SmsMessage } from '../../src/notify/index.js';
import { startFakeHttpServer } from './fake-http-server.js';
import type { FakeHttpServer, FakeReply, RecordedRequest } from './fake-http-server.js';

const SECRET = 'shared-secret';
const MESSAGE: SmsMessage = { to: '+4930123456', body: 'Lift 2: entrapment ACK http://x/a/1', idempotencyKey: 'n-7' };
const NOW = new Date('2026-11-28T19:30:05Z');

/** A receiver that checks the HMAC over the raw body, as documented for integrators. */
function answerLikeReceiver(req: RecordedRequest): FakeReply {
  const header = req.headers['x-edgefleet-signature'];
  if (!verifyWebhookSignature(req.body, typeof header === 'string' ? header : undefined, SECRET)) {
    return { status: 401, body: '{"error":"bad signature"}' };
  }
  return { status: 202, body: '{"id":"rcv-1"}' };
}

describe('webhook signature', () => {
  const body = '{"to":"+1","body":"x","id":"k"}';
  it('signs as sha256=<hex HMAC-SHA256 of the raw body>', () => {
    const hex = createHmac('sha256', SECRET).update(body).digest('hex');
    expect(signWebhookBody(body, SECRET)).toBe(`sha256=${hex}`);
  });

  it.each([
    ['the right signature', signWebhookBody(body, SECRET), true],
    ['a missing header', undefined, false],
    ['another secret', signWebhookBody(body, 'other'), false],
    ['a tampered body', signWebhookBody(`${body} `, SECRET), false],
    ['upper-case hex', signWebhookBody(body, SECRET).toUpperCase(), false],
    ['no prefix', signWebhookBody(body, SECRET).slice('sha256='.length), false],
  ])('verifies %s → %s', (_label, header, valid) => {
    expect(verifyWebhookSignature(body, header, SECRET)).toBe(valid);
  });
});

describe('webhook provider against a fake receiver', () => {
  let fake: FakeHttpServer;
  beforeAll(async () => {
    fake = await startFakeHttpServer();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.respondWith(answerLikeReceiver);
  });

  it('POSTs {to, body, id} as JSON with signature and timestamp headers', async () => {
    const provider = createWebhookProvider({ url: `${fake.baseUrl}/hooks/sms`, secret: SECRET, now: () => NOW });
    expect(await provider.send(MESSAGE)).toMatchObject({ ok: true, providerId: 'rcv-1', status: 202 });
    const req = fake.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hooks/sms');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-edgefleet-timestamp']).toBe(String(NOW.getTime() / 1000));
    expect(JSON.parse(req.body)).toEqual({ to: MESSAGE.to, body: MESSAGE.body, id: 'n-7' });
  });

  it('uses our idempotency key as provider id when the receiver names none', async () => {
    fake.respondWith(() => ({ status: 204, body: '' }));
    const provider = createWebhookProvider({ url: fake.baseUrl, secret: SECRET });
    expect(await provider.send(MESSAGE)).toMatchObject({ ok: true, providerId: 'n-7', status: 204 });
  });

  it('a wrong secret is refused by the receiver: 401, not retryable', async () => {
    const provider = createWebhookProvider({ url: fake.baseUrl, secret: 'wrong' });
    expect(await provider.send(MESSAGE)).toMatchObject({ ok: false, retryable: false, status: 401, error: 'webhook: HTTP 401' });
  });

  it.each([
    { status: 502, retryable: true },
    { status: 429, retryable: true },
    { status: 422, retryable: false },
  ])('HTTP $status is retryable=$retryable', async ({ status, retryable }) => {
    fake.respondWith(() => ({ status, body: 'reason' }));
    const result = await createWebhookProvider({ url: fake.baseUrl, secret: SECRET }).send(MESSAGE);
    expect(result).toEqual({ ok: false, retryable, status, reply: 'reason', error: `webhook: HTTP ${status}` });
  });

  it('a receiver that never answers is a retryable timeout', async () => {
    fake.respondWith(() => 'hang');
    const result = await createWebhookProvider({ url: fake.baseUrl, secret: SECRET, timeoutMs: 150 }).send(MESSAGE);
    expect(result).toEqual({ ok: false, retryable: true, error: 'timeout after 150 ms' });
  });
});
