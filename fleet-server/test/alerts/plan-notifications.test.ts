import { describe, expect, it } from 'vitest';
import type { Alert, Contact } from '../../src/store/store-types.js';
import { notificationKey, parseNotificationKey, planNotifications, quietHoursEnd, type EscalationPolicy } from '../../src/alerts/index.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0); // 12:00 UTC = 13:00 Europe/Berlin

const contact = (id: string, order: number, role = 'technician'): Contact =>
  ({ id, site: 's1', name: id, phone: `+4915100000${order}`, role, escalationOrder: order });
const CONTACTS = [contact('c2', 2), contact('c1', 1), contact('boss', 3, 'manager')];

const alert = (over: Partial<Alert> = {}): Alert => ({
  id: 7, gateway: 'gw-1', device: 'lift-1', rule: 'entrapment', state: 'raised', severity: 'critical', message: 'Entrapment',
  raisedAt: T0, updatedAt: T0, acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, ...over,
});

const POLICY: EscalationPolicy = {
  steps: [{ contacts: ['c1'], afterMs: 0 }, { contacts: ['c2'], afterMs: 5 * MIN }, { role: 'manager', afterMs: 15 * MIN }],
  repeatMs: 10 * MIN,
};

const keysAt = (now: number, a = alert(), policy = POLICY): string[] =>
  planNotifications(a, policy, CONTACTS, now, { flapping: false }).map((p) => p.key);

describe('planNotifications escalation timing', () => {
  it.each([
    ['at the raise: step 1 only', 0, ['alert:7:step:1:round:0:contact:c1']],
    ['1 ms before step 2', 5 * MIN - 1, ['alert:7:step:1:round:0:contact:c1']],
    ['exactly at step 2', 5 * MIN, ['alert:7:step:1:round:0:contact:c1', 'alert:7:step:2:round:0:contact:c2']],
    ['1 ms before the first repeat', 10 * MIN - 1, ['alert:7:step:1:round:0:contact:c1', 'alert:7:step:2:round:0:contact:c2']],
    ['exactly at the first repeat of step 1', 10 * MIN, ['alert:7:step:1:round:1:contact:c1', 'alert:7:step:2:round:0:contact:c2']],
    ['exactly at step 3 (by role)', 15 * MIN,
      ['alert:7:step:1:round:1:contact:c1', 'alert:7:step:2:round:1:contact:c2', 'alert:7:step:3:round:0:contact:boss']],
  ])('%s', (_name, offset, expected) => {
    expect(keysAt(T0 + offset)).toEqual(expected);
  });

  it('plans nothing before the raise and nothing for an empty policy', () => {
    expect(keysAt(T0 - 1)).toEqual([]);
    expect(keysAt(T0, alert(), { steps: [] })).toEqual([]);
  });

  it('repeats until acknowledged, then stops', () => {
    const rounds = [0, 10, 20, 30].map((m) => keysAt(T0 + m * MIN)[0]);
    expect(rounds).toEqual([0, 1, 2, 3].map((k) => `alert:7:step:1:round:${k}:contact:c1`));
    expect(keysAt(T0 + 30 * MIN, alert({ state: 'acknowledged', acknowledgedAt: T0 + 25 * MIN }))).toEqual([]);
    expect(keysAt(T0 + 30 * MIN, alert({ state: 'resolved' }))).toEqual([]);
  });

  it('collapses missed rounds into the newest one', () => {
    const planned = planNotifications(alert(), POLICY, CONTACTS, T0 + 95 * MIN, { flapping: false });
    expect(planned.find((p) => p.step === 1)).toMatchObject({ round: 9, dueAt: T0 + 90 * MIN });
  });

  it('without repeatMs each step is sent once', () => {
    expect(keysAt(T0 + 60 * MIN, alert(), { steps: [{ contacts: ['c1'], afterMs: 0 }] })).toEqual(['alert:7:step:1:round:0:contact:c1']);
  });

  it('leaves out keys already enqueued and plans nothing while flapping', () => {
    const enqueuedKeys = new Set(['alert:7:step:1:round:0:contact:c1']);
    expect(planNotifications(alert(), POLICY, CONTACTS, T0 + 5 * MIN, { flapping: false, enqueuedKeys }).map((p) => p.key))
      .toEqual(['alert:7:step:2:round:0:contact:c2']);
    expect(planNotifications(alert(), POLICY, CONTACTS, T0, { flapping: true })).toEqual([]);
  });
});

describe('quiet hours', () => {
  // 22:00–07:00 Berlin; T0 + 9 h = 21:00 UTC = 22:00 Berlin (CET, UTC+1 in November).
  const quiet: EscalationPolicy = { ...POLICY, quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Berlin' } };
  const night = T0 + 9 * 60 * MIN;

  it.each([
    ['critical', 1], ['major', 1], ['minor', 0], ['info', 0],
  ] as const)('a %s alert raised at 22:00 local plans %i notification(s)', (severity, count) => {
    expect(keysAt(night, alert({ severity, raisedAt: night }), quiet)).toHaveLength(count);
  });

  it('a minor alert is planned at 07:00 local, not one minute earlier', () => {
    const minor = alert({ severity: 'minor', raisedAt: night });
    const end = Date.UTC(2026, 10, 29, 6, 0, 0);
    expect(keysAt(end - MIN, minor, quiet)).toEqual([]);
    expect(keysAt(end, minor, quiet).length).toBeGreaterThan(0);
  });

  it('quietHoursEnd finds the local end of a window that wraps midnight, and rejects bad clocks', () => {
    const q = { start: '22:00', end: '07:00', timeZone: 'Europe/Berlin' };
    expect(quietHoursEnd(night + 30 * 1000, q)).toBe(Date.UTC(2026, 10, 29, 6, 0, 0));
    expect(quietHoursEnd(night - MIN, q)).toBeUndefined();
    expect(() => quietHoursEnd(night, { ...q, end: '7:00' })).toThrow(/quiet hours end: "7:00"/);
  });
});

describe('parseNotificationKey', () => {
  it('reads back what notificationKey writes, contact ids with colons included', () => {
    expect(parseNotificationKey(notificationKey(7, 2, 11, 'ops:desk'))).toEqual({ alertId: 7, step: 2, round: 11, contactId: 'ops:desk' });
  });

  it.each(['', 'alert:7:step:1', 'alert:x:step:1:round:0:contact:c1', 'alert:7:step:1:round:0:contact:', 'alert:99999999999999999:step:1:round:0:contact:c'])(
    'returns undefined for %j', (key) => {
      expect(parseNotificationKey(key)).toBeUndefined();
    },
  );
});
