import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notificationKey } from '../../src/alerts/index.js';
import { acceptAckToken, createAckToken } from '../../src/dispatch/index.js';
import { OTHER_PHONE, PHONE, T0, enqueue, fakeClock, openTempStore, raiseAlert } from './sender-fixtures.js';
import type { TempStore } from './sender-fixtures.js';

const SECRET = 'ack-secret-0123456789';

describe('acceptAckToken on a real SqliteStore', () => {
  let temp: TempStore;
  let alertId: number;
  let token: string;
  let annaKey: string;
  beforeEach(async () => {
    temp = await openTempStore(fakeClock());
    alertId = await raiseAlert(temp.store, T0);
    // Two contacts in the same step and round: the link must still name the right one.
    annaKey = notificationKey(alertId, 1, 0, 'anna');
    await enqueue(temp.store, annaKey, T0, { alertId, recipient: PHONE });
    await enqueue(temp.store, notificationKey(alertId, 1, 0, 'ben'), T0, { alertId, recipient: OTHER_PHONE });
    token = createAckToken({ alertId, notificationKey: annaKey, expiresAt: T0 + 3_600_000 }, SECRET);
  });
  afterEach(async () => {
    await temp.cleanup();
  });

  it('acknowledges once, audits it with the full notification key, and refuses the same link again as used', async () => {
    const first = await acceptAckToken(temp.store, { token, secret: SECRET, now: T0 + 60_000 });
    expect(first).toMatchObject({
      ok: true, notificationKey: annaKey,
      alert: { id: alertId, state: 'acknowledged', acknowledgedAt: T0 + 60_000, acknowledgedBy: `ack-link:${annaKey}` },
    });
    const audit = await temp.store.listAudit({ target: `alert:${alertId}` });
    expect(audit.map((e) => [e.action, e.actor, e.details])).toEqual([
      ['alert.acknowledge', `ack-link:${annaKey}`, { via: 'link', notificationKey: annaKey }],
    ]);

    expect(await acceptAckToken(temp.store, { token, secret: SECRET, now: T0 + 61_000 })).toEqual({ ok: false, error: 'used' });
    expect(await temp.store.listAudit({ target: `alert:${alertId}` })).toHaveLength(1);
  });

  it('names the step and round (and key tag) when the notification row is not there', async () => {
    const unsent = createAckToken({ alertId, notificationKey: notificationKey(alertId, 3, 2, 'carla'), expiresAt: T0 + 3_600_000 }, SECRET);
    const result = await acceptAckToken(temp.store, { token: unsent, secret: SECRET, now: T0 + 1_000 });
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.notificationKey).toMatch(new RegExp(`^alert:${alertId}:step:3:round:2:tag:[0-9a-f]{6}$`));
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

  it('refuses expired (expiry rounded up to the minute), tampered and malformed tokens without touching the alert', async () => {
    expect(await acceptAckToken(temp.store, { token, secret: SECRET, now: T0 + 3_660_000 })).toEqual({ ok: false, error: 'expired' });
    expect(await acceptAckToken(temp.store, { token, secret: 'wrong-secret-0123456789', now: T0 })).toEqual({ ok: false, error: 'tampered' });
    expect(await acceptAckToken(temp.store, { token: 'not-a-token', secret: SECRET, now: T0 })).toEqual({ ok: false, error: 'malformed' });
    expect((await temp.store.getAlert(alertId))?.state).toBe('raised');
  });

  it('refuses a valid token for an alert that does not exist', async () => {
    const ghost = createAckToken({ alertId: alertId + 100, notificationKey: 'x', expiresAt: T0 + 60_000 }, SECRET);
    expect(await acceptAckToken(temp.store, { token: ghost, secret: SECRET, now: T0 })).toEqual({ ok: false, error: 'unknown-alert' });
  });
});
