import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFERRED_PREFIX, SKIPPED_PREFIX } from '../../src/dispatch/index.js';
import { createTwilioProvider } from '../../src/notify/index.js';
import { findClosedPortUrl, startFakeHttpServer } from '../notify/fake-http-server.js';
import type { FakeHttpServer } from '../notify/fake-http-server.js';
import {
  OTHER_PHONE, PHONE, POLICY, T0, accepted, enqueue, fakeClock, makeSender, openTempStore, raiseAlert, recipientOf, serverError, twilioAt,
} from './sender-fixtures.js';
import type { FakeClock, TempStore } from './sender-fixtures.js';

describe('NotificationSender against a fake Twilio and a real SqliteStore', () => {
  let fake: FakeHttpServer;
  let clock: FakeClock;
  let temp: TempStore;
  beforeAll(async () => {
    fake = await startFakeHttpServer();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    fake.requests.length = 0;
    clock = fakeClock();
    temp = await openTempStore(clock);
  });
  afterEach(async () => {
    await temp.cleanup();
  });

  it('500s then recovery: delivered exactly once after retries, every attempt recorded, alert notified', async () => {
    let calls = 0;
    fake.respondWith(() => (++calls <= 2 ? serverError(500) : accepted()));
    const alertId = await raiseAlert(temp.store, T0);
    const n = await enqueue(temp.store, `alert:${alertId}:step:1`, T0, { alertId });
    const sender = makeSender(temp.store, twilioAt(fake.baseUrl), clock);

    expect(await sender.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    // Not due again until the backoff (base 1 s) has passed.
    expect((await sender.runOnce()).claimed).toBe(0);
    clock.advance(POLICY.baseDelayMs);
    expect(await sender.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    clock.advance(POLICY.baseDelayMs * POLICY.multiplier - 1);
    expect((await sender.runOnce()).claimed).toBe(0);
    clock.advance(1);
    expect(await sender.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    clock.advance(3_600_000);
    expect((await sender.runOnce()).claimed).toBe(0);

    expect(fake.requests).toHaveLength(3);
    expect(new Set(fake.requests.map((r) => r.body)).size).toBe(1);
    const attempts = await temp.store.listAttempts(n.id);
    expect(attempts.map((a) => [a.attempt, a.outcome, a.at])).toEqual([
      [1, 'retry', T0], [2, 'retry', T0 + 1_000], [3, 'sent', T0 + 3_000],
    ]);
    expect(attempts[0]?.reply).toMatch(/HTTP 500.*Internal error/);
    expect(attempts[0]?.nextAttemptAt).toBe(T0 + 1_000);
    expect(attempts[2]?.reply).toMatch(/^HTTP 201 id SM\d+/);
    expect(await temp.store.getNotification(n.id)).toMatchObject({ status: 'sent', sentAt: T0 + 3_000 });
    expect(await temp.store.getAlert(alertId)).toMatchObject({ state: 'notified' });
  });

  it('provider down throughout: ends failed after maxAttempts, every attempt visible', async () => {
    fake.respondWith(() => serverError(503));
    const alertId = await raiseAlert(temp.store, T0);
    const n = await enqueue(temp.store, 'down', T0, { alertId });
    const sender = makeSender(temp.store, twilioAt(fake.baseUrl), clock);
    const outcomes: string[] = [];
    for (let pass = 0; pass < 10; pass++) {
      const summary = await sender.runOnce();
      if (summary.failed) outcomes.push('failed');
      if (summary.retried) outcomes.push('retried');
      const current = await temp.store.getNotification(n.id);
      if (current?.status === 'failed') break;
      clock.set(current?.nextAttemptAt ?? clock.now());
    }
    expect(outcomes).toEqual(['retried', 'retried', 'retried', 'failed']);
    expect(fake.requests).toHaveLength(POLICY.maxAttempts);
    const attempts = await temp.store.listAttempts(n.id);
    expect(attempts.map((a) => a.outcome)).toEqual(['retry', 'retry', 'retry', 'failed']);
    // Backoff 1 s, 2 s, 4 s between attempts.
    expect(attempts.map((a) => a.at - T0)).toEqual([0, 1_000, 3_000, 7_000]);
    expect(attempts.every((a) => a.reply.includes('HTTP 503'))).toBe(true);
    expect(attempts[3]?.reply).toContain('gave up: max-attempts');
    expect(await temp.store.getNotification(n.id)).toMatchObject({ status: 'failed', sentAt: null });
    expect(await temp.store.getAlert(alertId)).toMatchObject({ state: 'raised' });
  });

  it('a provider timeout is retried, and the retry is delivered', async () => {
    let calls = 0;
    fake.respondWith(() => (++calls === 1 ? 'hang' : accepted()));
    const n = await enqueue(temp.store, 'slow', T0);
    // One timeout serves the hang and the delivery: 200 ms could time out the accepted retry too
    // (or abort the first request before the fake counted it) when this process is starved.
    const provider = createTwilioProvider({ baseUrl: fake.baseUrl, accountSid: 'AC1', authToken: 't', from: '+15005550006', timeoutMs: 1_000 });
    const sender = makeSender(temp.store, provider, clock);
    expect(await sender.runOnce()).toMatchObject({ retried: 1 });
    clock.advance(POLICY.baseDelayMs);
    expect(await sender.runOnce()).toMatchObject({ sent: 1 });
    const attempts = await temp.store.listAttempts(n.id);
    expect(attempts.map((a) => a.outcome)).toEqual(['retry', 'sent']);
    expect(attempts[0]?.reply).toMatch(/timeout after 1000 ms/);
  });

  it('connection refused throughout: failed after maxAttempts with the network error recorded', async () => {
    const n = await enqueue(temp.store, 'refused', T0);
    const sender = makeSender(temp.store, twilioAt(await findClosedPortUrl()), clock);
    for (let pass = 0; pass < POLICY.maxAttempts; pass++) {
      await sender.runOnce();
      clock.set((await temp.store.getNotification(n.id))?.nextAttemptAt ?? clock.now());
    }
    const attempts = await temp.store.listAttempts(n.id);
    expect(attempts.map((a) => a.outcome)).toEqual(['retry', 'retry', 'retry', 'failed']);
    expect(attempts.every((a) => a.reply.includes('ECONNREFUSED'))).toBe(true);
    expect((await temp.store.getNotification(n.id))?.status).toBe('failed');
  });

  it('4xx: no retry, the notification fails on the first attempt', async () => {
    fake.respondWith(() => ({ status: 400, body: JSON.stringify({ code: 21211, message: "Invalid 'To' Phone Number", status: 400 }) }));
    const n = await enqueue(temp.store, 'bad-request', T0);
    const sender = makeSender(temp.store, twilioAt(fake.baseUrl), clock);
    expect(await sender.runOnce()).toMatchObject({ claimed: 1, failed: 1, retried: 0 });
    clock.advance(3_600_000);
    expect((await sender.runOnce()).claimed).toBe(0);
    expect(fake.requests).toHaveLength(1);
    const attempts = await temp.store.listAttempts(n.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.reply).toMatch(/HTTP 400 code 21211.*gave up: not-retryable/);
  });

  it('429 is retried like a 5xx', async () => {
    let calls = 0;
    fake.respondWith(() => (++calls === 1 ? { status: 429, body: '{"code":20429,"message":"Too Many Requests"}' } : accepted()));
    const n = await enqueue(temp.store, 'throttled', T0);
    const sender = makeSender(temp.store, twilioAt(fake.baseUrl), clock);
    expect(await sender.runOnce()).toMatchObject({ retried: 1 });
    clock.advance(POLICY.baseDelayMs);
    expect(await sender.runOnce()).toMatchObject({ sent: 1 });
    expect((await temp.store.getNotification(n.id))?.status).toBe('sent');
  });

  it('rate limit: the third SMS to one phone in the window is deferred, recorded, and sent later', async () => {
    fake.respondWith(accepted);
    const sender = makeSender(temp.store, twilioAt(fake.baseUrl), clock, {
      rateLimit: { perRecipient: { count: 2, windowMs: 60_000 } },
      retryPolicy: { ...POLICY, maxAttempts: 1 },
    });
    await enqueue(temp.store, 'a1', T0);
    await enqueue(temp.store, 'a2', T0);
    const third = await enqueue(temp.store, 'a3', T0);
    await enqueue(temp.store, 'b1', T0, { recipient: OTHER_PHONE });

    expect(await sender.runOnce()).toMatchObject({ claimed: 4, sent: 3, deferred: 1 });
    expect(fake.requests.map(recipientOf)).toEqual([PHONE, PHONE, OTHER_PHONE]);
    const deferral = await temp.store.listAttempts(third.id);
    expect(deferral).toHaveLength(1);
    expect(deferral[0]).toMatchObject({ outcome: 'retry', at: T0, nextAttemptAt: T0 + 60_000 });
    expect(deferral[0]?.reply.startsWith(DEFERRED_PREFIX)).toBe(true);

    clock.advance(59_999);
    expect((await sender.runOnce()).claimed).toBe(0);
    clock.advance(1);
    // maxAttempts 1 still allows the real send: a deferral is not a provider attempt.
    expect(await sender.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(fake.requests.map(recipientOf)).toEqual([PHONE, PHONE, OTHER_PHONE, PHONE]);
    expect((await temp.store.listAttempts(third.id)).map((a) => a.outcome)).toEqual(['retry', 'sent']);
  });

  it('skips the SMS of an alert acknowledged before it went out, and the alert stays acknowledged', async () => {
    fake.respondWith(accepted);
    const alertId = await raiseAlert(temp.store, T0);
    const late = await enqueue(temp.store, 'late', T0, { alertId });
    await temp.store.transitionAlert(alertId, 'acknowledged', T0, 'contact:c-1');
    const sender = makeSender(temp.store, twilioAt(fake.baseUrl), clock);
    expect(await sender.runOnce()).toMatchObject({ claimed: 1, sent: 0, failed: 0, skipped: 1 });
    expect(fake.requests).toHaveLength(0);
    const attempts = await temp.store.listAttempts(late.id);
    expect(attempts.map((a) => a.outcome)).toEqual(['failed']);
    expect(attempts[0]?.reply.startsWith(SKIPPED_PREFIX)).toBe(true);
    expect(await temp.store.getAlert(alertId)).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'contact:c-1' });
  });

  it('passes the notification key as the idempotency key', async () => {
    const seen: string[] = [];
    const provider = twilioAt(fake.baseUrl);
    fake.respondWith(accepted);
    await enqueue(temp.store, 'alert:9:step:1', T0);
    const sender = makeSender(temp.store, { name: 'spy', send: (m) => (seen.push(m.idempotencyKey), provider.send(m)) }, clock);
    await sender.runOnce();
    expect(seen).toEqual(['alert:9:step:1']);
  });
});
