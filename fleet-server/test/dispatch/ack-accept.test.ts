import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acceptAckToken, createAckToken } from '../../src/dispatch/index.js';
import { T0, fakeClock, openTempStore, raiseAlert } from './sender-fixtures.js';
import type { TempStore } from './sender-fixtures.js';

const SECRET = 'ack-secret-0123456789';

describe('acceptAckToken on a real SqliteStore', () => {
  let temp: TempStore;
  let alertId: number;
  let token: string;
  beforeEach(async () => {
    temp = await openTempStore(fakeClock());
    alertId = await raiseAlert(temp.store, T0);
    token = createAckToken({ alertId, notificationKey: `alert:${alertId}:step:1`, expiresAt: T0 + 3_600_000 }, SECRET);
  });
  afterEach(async () => {
    await temp.cleanup();
  });

  it('acknowledges once, audits it, and refuses the same link again as used', async () => {
    const first = await acceptAckToken(temp.store, { token, secret: SECRET, now: T0 + 60_000 });
    expect(first).toMatchObject({ ok: true, alert: { id: alertId, state: 'acknowledged', acknowledgedAt: T0 + 60_000 } });
    const audit = await temp.store.listAudit({ target: `alert:${alertId}` });
    expect(audit.map((e) => [e.action, e.actor])).toEqual([['alert.acknowledge', `ack-link:alert:${alertId}:step:1`]]);

    expect(await acceptAckToken(temp.store, { token, secret: SECRET, now: T0 + 61_000 })).toEqual({ ok: false, error: 'used' });
    expect(await temp.store.listAudit({ target: `alert:${alertId}` })).toHaveLength(1);
  });

  it('refuses a link for a resolved alert as used', async () => {
    await temp.store.transitionAlert(alertId, 'resolved', T0 + 1_000);
    expect(await acceptAckToken(temp.store, { token, secret: SECRET, now: T0 + 2_000 })).toEqual({ ok: false, error: 'used' });
  });

  it('two concurrent clicks: exactly one acknowledges', async () => {
    const results = await Promise.all([1, 2].map(() => acceptAckToken(temp.store, { token, secret: SECRET, now: T0 + 5_000 })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, error: 'used' }]);
  });

  it('refuses expired, tampered and malformed tokens without touching the alert', async () => {
    expect(await acceptAckToken(temp.store, { token, secret: SECRET, now: T0 + 3_600_000 })).toEqual({ ok: false, error: 'expired' });
    expect(await acceptAckToken(temp.store, { token, secret: 'wrong-secret-0123456789', now: T0 })).toEqual({ ok: false, error: 'tampered' });
    expect(await acceptAckToken(temp.store, { token: 'not-a-token', secret: SECRET, now: T0 })).toEqual({ ok: false, error: 'malformed' });
    expect((await temp.store.getAlert(alertId))?.state).toBe('raised');
  });

  it('refuses a valid token for an alert that does not exist', async () => {
    const ghost = createAckToken({ alertId: alertId + 100, notificationKey: 'x', expiresAt: T0 + 1_000 }, SECRET);
    expect(await acceptAckToken(temp.store, { token: ghost, secret: SECRET, now: T0 })).toEqual({ ok: false, error: 'unknown-alert' });
  });
});
