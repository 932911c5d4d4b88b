import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SendResult, SmsMessage, SmsProvider } from '../../src/notify/index.js';
import { startFakeHttpServer } from '../notify/fake-http-server.js';
import type { FakeHttpServer } from '../notify/fake-http-server.js';
import { T0, accepted, enqueue, fakeClock, makeSender, openTempStore, twilioAt } from './sender-fixtures.js';
import type { FakeClock, TempStore } from './sender-fixtures.js';

/** Wraps a provider so the test can await the n-th send instead of sleeping. */
function observed(inner: SmsProvider): { provider: SmsProvider; nextSend(): Promise<SendResult> } {
  const waiters: ((result: SendResult) => void)[] = [];
  return {
    provider: {
      name: inner.name,
      async send(message: SmsMessage) {
        const result = await inner.send(message);
        waiters.shift()?.(result);
        return result;
      },
    },
    nextSend: () => new Promise((resolve) => waiters.push(resolve)),
  };
}

describe('NotificationSender start/notify/stop', () => {
  let fake: FakeHttpServer;
  let clock: FakeClock;
  let temp: TempStore;
  beforeAll(async () => {
    fake = await startFakeHttpServer();
    fake.respondWith(accepted);
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

  it('notify() after an enqueue sends without waiting for the poll interval; stop() waits for the pass', async () => {
    const spy = observed(twilioAt(fake.baseUrl));
    // A poll interval far beyond the test's life: only notify() can explain a prompt send.
    const sender = makeSender(temp.store, spy.provider, clock, { pollIntervalMs: 3_600_000 });
    sender.start();
    const first = spy.nextSend();
    const n = await enqueue(temp.store, 'woken', T0);
    sender.notify();
    expect((await first).ok).toBe(true);
    await sender.stop();
    expect((await temp.store.getNotification(n.id))?.status).toBe('sent');
    expect(fake.requests).toHaveLength(1);
  });

  it('a full batch is followed by another pass at once', async () => {
    const spy = observed(twilioAt(fake.baseUrl));
    const sender = makeSender(temp.store, spy.provider, clock, { pollIntervalMs: 3_600_000, batchSize: 2 });
    const ids = await Promise.all(['k1', 'k2', 'k3'].map(async (key) => (await enqueue(temp.store, key, T0)).id));
    const sends = [spy.nextSend(), spy.nextSend(), spy.nextSend()];
    sender.start();
    await Promise.all(sends);
    await sender.stop();
    const statuses = await Promise.all(ids.map(async (id) => (await temp.store.getNotification(id))?.status));
    expect(statuses).toEqual(['sent', 'sent', 'sent']);
  });

  it('notify() before start() and after stop() does nothing', async () => {
    const sender = makeSender(temp.store, twilioAt(fake.baseUrl), clock);
    const n = await enqueue(temp.store, 'ignored', T0);
    sender.notify();
    await sender.stop();
    expect(fake.requests).toHaveLength(0);
    expect((await temp.store.getNotification(n.id))?.status).toBe('pending');
  });
});
