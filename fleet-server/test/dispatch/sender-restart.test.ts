import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeHttpServer } from '../notify/fake-http-server.js';
import type { FakeHttpServer } from '../notify/fake-http-server.js';
import { OTHER_PHONE, T0, accepted, enqueue, fakeClock, makeSender, openTempStore, recipientOf, twilioAt } from './sender-fixtures.js';
import type { FakeClock, TempStore } from './sender-fixtures.js';

const LEASE_MS = 30_000;

describe('NotificationSender across a server restart (store closed and reopened)', () => {
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
    fake.respondWith(accepted);
    clock = fakeClock();
    temp = await openTempStore(clock);
  });
  afterEach(async () => {
    await temp.cleanup();
  });

  it('pending notifications go out after the restart, once each', async () => {
    const a = await enqueue(temp.store, 'pending-a', T0);
    const b = await enqueue(temp.store, 'pending-b', T0 + 5_000, { recipient: OTHER_PHONE });
    const store = await temp.reopen();
    const sender = makeSender(store, twilioAt(fake.baseUrl), clock, { leaseMs: LEASE_MS });

    expect(await sender.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    clock.advance(5_000);
    expect(await sender.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    clock.advance(3_600_000);
    expect((await sender.runOnce()).claimed).toBe(0);
    expect(fake.requests).toHaveLength(2);
    expect((await store.getNotification(a.id))?.status).toBe('sent');
    expect((await store.getNotification(b.id))?.status).toBe('sent');
  });

  it('a claim held by a crashed sender is taken over once its lease runs out, and sent once', async () => {
    const crashed = await enqueue(temp.store, 'claimed-then-crash', T0);
    // The old process claimed it and died before sending or recording anything.
    expect(await temp.store.claimDueNotifications(T0, 10, LEASE_MS)).toHaveLength(1);
    const store = await temp.reopen();
    const sender = makeSender(store, twilioAt(fake.baseUrl), clock, { leaseMs: LEASE_MS });

    clock.advance(LEASE_MS - 1);
    expect((await sender.runOnce()).claimed).toBe(0);
    expect(fake.requests).toHaveLength(0);
    clock.advance(1);
    expect(await sender.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    clock.advance(3_600_000);
    expect((await sender.runOnce()).claimed).toBe(0);
    expect(fake.requests.map(recipientOf)).toEqual([crashed.recipient]);
    const attempts = await store.listAttempts(crashed.id);
    expect(attempts.map((x) => [x.outcome, x.at])).toEqual([['sent', T0 + LEASE_MS]]);
  });

  it('a retry scheduled before the restart is sent at its time after it', async () => {
    let calls = 0;
    fake.respondWith(() => (++calls === 1 ? { status: 502, body: 'bad gateway' } : accepted()));
    const n = await enqueue(temp.store, 'retry-across-restart', T0);
    expect(await makeSender(temp.store, twilioAt(fake.baseUrl), clock).runOnce()).toMatchObject({ retried: 1 });
    const store = await temp.reopen();
    const sender = makeSender(store, twilioAt(fake.baseUrl), clock);
    const due = (await store.getNotification(n.id))?.nextAttemptAt ?? Number.NaN;
    expect(due).toBeGreaterThan(T0);
    clock.set(due);
    expect(await sender.runOnce()).toMatchObject({ sent: 1 });
    expect((await store.listAttempts(n.id)).map((x) => x.outcome)).toEqual(['retry', 'sent']);
    expect(fake.requests).toHaveLength(2);
  });
});
