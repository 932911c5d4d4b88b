import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/index.js';
import type { NotificationInput, Store } from '../../src/store/index.js';

const isCode = (code: string) => (e: unknown): boolean => e instanceof StoreError && e.code === code;
const key = { gateway: 'gw-1', device: 'car-1', rule: 'entrapment' };
const fields = { severity: 'critical' as const, message: 'passenger trapped', at: 1_000 };

function note(over: Partial<NotificationInput> = {}): NotificationInput {
  return { key: 'alert:1:step:1', alertId: null, recipient: '+4915100000001', body: 'Tower A car 1: trapped', notBefore: 1_000, createdAt: 1_000, ...over };
}

/** Alerts and the notification outbox; `store` is read per test (beforeEach replaces it). */
export function describeOutboxContract(store: () => Store, seed: (s: Store) => Promise<void>): void {
  describe('alerts', () => {
    it('keeps one open alert per (gateway, device, rule) and opens a new one after resolve', async () => {
      const first = await store().openAlert(key, fields);
      expect(first.created).toBe(true);
      expect(first.alert).toMatchObject({ ...key, state: 'raised', raisedAt: 1_000, resolvedAt: null });
      const again = await store().openAlert(key, { ...fields, message: 'again', at: 2_000 });
      expect(again).toEqual({ alert: first.alert, created: false });
      const otherRule = await store().openAlert({ ...key, rule: 'door-fault' }, fields);
      expect(otherRule.created).toBe(true);
      await store().transitionAlert(first.alert.id, 'resolved', 3_000);
      const next = await store().openAlert(key, { ...fields, at: 4_000 });
      expect(next.created).toBe(true);
      expect(next.alert.id).not.toBe(first.alert.id);
      expect((await store().listOpenAlerts('gw-1')).map((a) => a.id)).toEqual([otherRule.alert.id, next.alert.id]);
    });

    it('walks raised → notified → acknowledged → resolved, recording who and when', async () => {
      const { alert } = await store().openAlert(key, fields);
      await store().transitionAlert(alert.id, 'notified', 1_100);
      await store().transitionAlert(alert.id, 'notified', 1_200);
      const acked = await store().transitionAlert(alert.id, 'acknowledged', 1_300, 'contact:c1');
      expect(acked).toMatchObject({ state: 'acknowledged', acknowledgedAt: 1_300, acknowledgedBy: 'contact:c1', updatedAt: 1_300 });
      const resolved = await store().transitionAlert(alert.id, 'resolved', 1_400);
      expect(resolved).toMatchObject({ state: 'resolved', resolvedAt: 1_400, acknowledgedBy: 'contact:c1' });
      expect(await store().listOpenAlerts()).toEqual([]);
    });

    it('refuses illegal transitions and unknown alerts', async () => {
      const { alert } = await store().openAlert(key, fields);
      await store().transitionAlert(alert.id, 'acknowledged', 1_100);
      await expect(store().transitionAlert(alert.id, 'notified', 1_200)).rejects.toSatisfy(isCode('ALERT_TRANSITION'));
      await store().transitionAlert(alert.id, 'resolved', 1_300);
      await expect(store().transitionAlert(alert.id, 'acknowledged', 1_400)).rejects.toSatisfy(isCode('ALERT_TRANSITION'));
      await expect(store().transitionAlert(99_999, 'resolved', 1)).rejects.toSatisfy(isCode('STORE_NOT_FOUND'));
    });
  });

  describe('notification outbox', () => {
    it('enqueues idempotently on key', async () => {
      await seed(store());
      const { alert } = await store().openAlert(key, fields);
      const a = await store().enqueueNotification(note({ alertId: alert.id }));
      const b = await store().enqueueNotification(note({ alertId: alert.id, body: 'different' }));
      expect(b).toEqual(a);
      expect(a).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: 1_000, sentAt: null, alertId: alert.id });
    });

    it('refuses a notification for an alert that does not exist', async () => {
      await expect(store().enqueueNotification(note({ alertId: 424_242 }))).rejects.toSatisfy(isCode('STORE_INVALID'));
    });

    it('claims only due notifications, leases them, and re-offers them when the lease runs out', async () => {
      await store().enqueueNotification(note({ key: 'k1', notBefore: 1_000 }));
      await store().enqueueNotification(note({ key: 'k2', notBefore: 5_000 }));
      const claimed = await store().claimDueNotifications(2_000, 10, 30_000);
      expect(claimed.map((n) => [n.key, n.status, n.nextAttemptAt])).toEqual([['k1', 'sending', 32_000]]);
      // While leased, a second claimer gets nothing due before 5 000.
      expect((await store().claimDueNotifications(4_000, 10)).map((n) => n.key)).toEqual([]);
      // The sender died: after the lease both are due, oldest schedule first, bounded by limit.
      expect((await store().claimDueNotifications(40_000, 1)).map((n) => n.key)).toEqual(['k2']);
      expect((await store().claimDueNotifications(40_000, 5)).map((n) => n.key)).toEqual(['k1']);
    });

    it('records attempts: retry reschedules, sent is final and never claimed again', async () => {
      const n = await store().enqueueNotification(note());
      await store().claimDueNotifications(1_000, 10);
      const retried = await store().recordAttempt(n.id, { at: 1_010, outcome: 'retry', reply: 'HTTP 503', nextAttemptAt: 3_000 });
      expect(retried).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: 3_000 });
      expect(await store().claimDueNotifications(2_000, 10)).toEqual([]);
      expect((await store().claimDueNotifications(3_000, 10)).map((x) => x.id)).toEqual([n.id]);
      const sent = await store().recordAttempt(n.id, { at: 3_020, outcome: 'sent', reply: 'HTTP 201 SM123' });
      expect(sent).toMatchObject({ status: 'sent', attempts: 2, sentAt: 3_020 });
      expect(await store().claimDueNotifications(1e12, 10)).toEqual([]);
      await expect(store().recordAttempt(n.id, { at: 4_000, outcome: 'sent', reply: 'again' })).rejects.toSatisfy(isCode('STORE_INVALID'));
      expect(await store().listAttempts(n.id)).toEqual([
        { notificationId: n.id, attempt: 1, at: 1_010, outcome: 'retry', reply: 'HTTP 503', nextAttemptAt: 3_000 },
        { notificationId: n.id, attempt: 2, at: 3_020, outcome: 'sent', reply: 'HTTP 201 SM123' },
      ]);
    });

    it('marks a 4xx-style failure final and requires nextAttemptAt for a retry', async () => {
      const n = await store().enqueueNotification(note());
      await expect(store().recordAttempt(n.id, { at: 1_001, outcome: 'retry', reply: 'timeout' })).rejects.toSatisfy(isCode('STORE_INVALID'));
      expect(await store().recordAttempt(n.id, { at: 1_002, outcome: 'failed', reply: 'HTTP 400' })).toMatchObject({ status: 'failed', attempts: 1 });
      expect(await store().claimDueNotifications(1e12, 10)).toEqual([]);
    });
  });
}
