// The alarm's desktop notifications with a stand-in Notification (node has none): one per new
// alert or one summary for a burst, closed once their alerts are acknowledged, all on sign-out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../web/src/api/types.js';
import { closeAllNotifications, closeSettledNotifications, MAX_SEPARATE, notifyAlerts } from '../../web/src/views/alarm/desktop-notification.js';

class FakeNotification {
  static permission = 'granted';
  static all: FakeNotification[] = [];
  closed = false;
  onclick: (() => void) | null = null;
  constructor(readonly title: string, readonly options: { body: string; tag: string }) {
    FakeNotification.all.push(this);
  }
  close(): void {
    this.closed = true;
  }
}

const alert = (id: number, severity: Alert['severity'] = 'critical'): Alert => ({
  id, gateway: 'gw-a', device: `lift-${id}`, rule: 'entrapment', state: 'raised', severity, message: `Passenger trapped in lift-${id}`,
  raisedAt: 1_000, updatedAt: 1_000, acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null,
} as Alert);
const open = (): string[] => FakeNotification.all.filter((n) => !n.closed).map((n) => n.options.tag);

beforeEach(() => {
  FakeNotification.all = [];
  Object.assign(globalThis, { Notification: FakeNotification, focus: () => undefined, location: { hash: '' } });
});
afterEach(() => {
  closeAllNotifications();
  for (const key of ['Notification', 'focus', 'location']) Reflect.deleteProperty(globalThis, key);
});

describe('alarm desktop notifications', () => {
  it('shows one per alert and closes each once its alert is no longer unacknowledged', () => {
    notifyAlerts([alert(1), alert(2)]);
    expect(open()).toEqual(['edgefleet-alert-1', 'edgefleet-alert-2']);
    closeSettledNotifications((id) => id === 2, true);
    expect(open()).toEqual(['edgefleet-alert-2']);
    closeSettledNotifications(() => false, false);
    expect(open()).toEqual([]);
  });

  it('gathers a burst into one summary that closes when nothing is left unacknowledged', () => {
    const burst = Array.from({ length: MAX_SEPARATE + 2 }, (_, i) => alert(10 + i, i === 0 ? 'major' : 'critical'));
    notifyAlerts(burst);
    expect(FakeNotification.all.map((n) => [n.title, n.options.body])).toEqual([
      [`${burst.length} new alerts`, `${burst.length - 1} critical; newest: Passenger trapped in lift-${10 + burst.length - 1}`],
    ]);
    closeSettledNotifications((id) => id === 12, true);
    expect(open()).toEqual(['edgefleet-alert-summary']);
    closeSettledNotifications(() => false, false);
    expect(open()).toEqual([]);
  });

  it('opens the alert board on a click, and shows nothing without permission', () => {
    notifyAlerts([alert(3)]);
    FakeNotification.all[0]!.onclick?.();
    expect((globalThis as unknown as { location: { hash: string } }).location.hash).toBe('#/alerts');
    expect(open()).toEqual([]);
    FakeNotification.permission = 'denied';
    try {
      notifyAlerts([alert(4)]);
      expect(FakeNotification.all).toHaveLength(1);
    } finally {
      FakeNotification.permission = 'granted';
    }
  });

  it('closes everything at sign-out', () => {
    notifyAlerts([alert(5)]);
    notifyAlerts([alert(6), alert(7), alert(8), alert(9)]);
    closeAllNotifications();
    expect(open()).toEqual([]);
  });
});
