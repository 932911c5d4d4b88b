import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { NotificationSender } from '../../src/dispatch/index.js';
import type { NotificationSenderOptions } from '../../src/dispatch/index.js';
import { createTwilioProvider } from '../../src/notify/index.js';
import type { RetryPolicy, SmsProvider } from '../../src/notify/index.js';
import { SqliteStore } from '../../src/store/index.js';
import type { Notification } from '../../src/store/index.js';
import type { FakeReply, RecordedRequest } from '../notify/fake-http-server.js';
import { seedInventory } from '../store/store-fixtures.js';

export const T0 = 1_700_000_000_000;
export const PHONE = '+4930123456';
export const OTHER_PHONE = '+4930999999';
const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';

/** No jitter (random = 0 in the sender), so every retry time is exact. */
export const POLICY: RetryPolicy = { baseDelayMs: 1_000, multiplier: 2, maxDelayMs: 10_000, jitter: 0, maxAttempts: 4, maxAgeMs: 600_000 };

export const silentLogger = pino({ level: 'silent' });

/** A clock the test moves by hand. */
export interface FakeClock {
  now: () => number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function fakeClock(start = T0): FakeClock {
  let current = start;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export function twilioAt(baseUrl: string): SmsProvider {
  return createTwilioProvider({ baseUrl, accountSid: ACCOUNT_SID, authToken: 'token', from: '+15005550006', timeoutMs: 2_000 });
}

let sidCounter = 0;
export const accepted = (): FakeReply => ({ status: 201, body: JSON.stringify({ sid: `SM${++sidCounter}`, status: 'queued' }) });
export const serverError = (status = 500): FakeReply => ({ status, body: JSON.stringify({ code: 20500, message: 'Internal error', status }) });

/** Twilio's form field for the recipient, to count what each phone received. */
export const recipientOf = (request: RecordedRequest): string | null => new URLSearchParams(request.body).get('To');

export interface TempStore {
  readonly path: string;
  store: SqliteStore;
  reopen(): Promise<SqliteStore>;
  cleanup(): Promise<void>;
}

export async function openTempStore(clock: FakeClock): Promise<TempStore> {
  const dir = await mkdtemp(join(tmpdir(), 'edgefleet-dispatch-'));
  const path = join(dir, 'fleet.db');
  const temp: TempStore = {
    path,
    store: SqliteStore.open({ path, now: clock.now }),
    async reopen() {
      await temp.store.close();
      temp.store = SqliteStore.open({ path, now: clock.now });
      return temp.store;
    },
    async cleanup() {
      await temp.store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await seedInventory(temp.store);
  return temp;
}

export async function raiseAlert(store: SqliteStore, at: number): Promise<number> {
  const { alert } = await store.openAlert({ gateway: 'gw-1', device: 'car-1', rule: 'entrapment' }, { severity: 'critical', message: 'passenger trapped', at });
  return alert.id;
}

export function enqueue(store: SqliteStore, key: string, at: number, over: { alertId?: number | null; recipient?: string } = {}): Promise<Notification> {
  return store.enqueueNotification({
    key, alertId: over.alertId ?? null, recipient: over.recipient ?? PHONE, body: `Tower A car 1: passenger trapped (${key})`, notBefore: at, createdAt: at,
  });
}

export function makeSender(
  store: SqliteStore, provider: SmsProvider, clock: FakeClock, over: Partial<NotificationSenderOptions> = {},
): NotificationSender {
  return new NotificationSender({ store, provider, logger: silentLogger, now: clock.now, retryPolicy: POLICY, random: () => 0, ...over });
}
