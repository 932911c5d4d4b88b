import { describe, expect, it } from 'vitest';
import { alertTimeline } from '../../src/api/alert-timeline.js';
import type { Alert, Notification } from '../../src/store/store-types.js';

const alert: Alert = {
  id: 7, gateway: 'gw-a', device: 'lift-1', rule: 'entrapment', state: 'resolved', severity: 'critical', message: 'Passenger trapped',
  raisedAt: 1_000, updatedAt: 9_000, acknowledgedAt: 5_000, acknowledgedBy: 'user:eng', resolvedAt: 9_000,
};
const notification: Notification = {
  id: 3, key: 'alert:7:step:2:round:0:contact:c-1', alertId: 7, recipient: '+4915100000001', body: 'x', notBefore: 1_000, createdAt: 1_000,
  status: 'sent', attempts: 2, nextAttemptAt: 3_000, sentAt: 3_000,
};

describe('alertTimeline', () => {
  it('orders raise, queued message, attempts with replies, ack and resolve, reading the step from the key', () => {
    const timeline = alertTimeline(alert, [{
      notification,
      attempts: [
        { notificationId: 3, attempt: 2, at: 3_000, outcome: 'sent', reply: 'HTTP 200 {"id":"m2"}' },
        { notificationId: 3, attempt: 1, at: 1_100, outcome: 'retry', reply: 'HTTP 503 busy', nextAttemptAt: 3_000 },
      ],
    }], [
      { id: 1, at: 5_000, actor: 'user:eng', action: 'alert.acknowledge', target: 'alert:7', details: { via: 'api' } },
      { id: 2, at: 9_000, actor: 'system', action: 'alert.resolve', target: 'alert:7', details: { reason: 'cleared' } },
    ]);
    expect(timeline.map((e) => e.kind)).toEqual(['raised', 'notification', 'attempt', 'attempt', 'acknowledged', 'resolved']);
    expect(timeline[1]).toMatchObject({ step: 2, round: 0, contact: 'c-1', recipient: '+4915100000001' });
    expect(timeline[2]).toMatchObject({ attempt: 1, outcome: 'retry', reply: 'HTTP 503 busy', at: 1_100 });
    expect(timeline[4]).toEqual({ at: 5_000, kind: 'acknowledged', by: 'user:eng', via: 'api' });
    expect(timeline[5]).toEqual({ at: 9_000, kind: 'resolved', by: 'system', reason: 'cleared' });
  });

  it('falls back to the alert row when the audit log has no entry', () => {
    const timeline = alertTimeline(alert, [], []);
    expect(timeline).toEqual([
      { at: 1_000, kind: 'raised', severity: 'critical', message: 'Passenger trapped' },
      { at: 5_000, kind: 'acknowledged', by: 'user:eng', via: null },
      { at: 9_000, kind: 'resolved', by: 'unknown', reason: null },
    ]);
  });
});
