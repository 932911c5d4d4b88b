// The alarm's desktop notifications (lib/alarm-notifications.ts) with a stand-in for the
// Notification API: one per new alert or one summary for a burst, closed once their alerts are
// acknowledged, all on sign-out; a click brings the board forward and closes it.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../web/src/api/types.js';
import { AlarmNotifications, MAX_SEPARATE, type NotificationKey } from '../../web/src/lib/alarm-notifications.js';

interface Fake {
  key: NotificationKey;
  title: string;
  body: string;
  click: () => void;
  closed: boolean;
}

function harness() {
  const all: Fake[] = [];
  let clicks = 0;
  const notes = new AlarmNotifications((key, title, body, click) => {
    const n: Fake = { key, title, body, click, closed: false };
    all.push(n);
    return { close: () => void (n.closed = true) };
  }, () => void (clicks += 1));
  return { notes, all, open: () => all.filter((n) => !n.closed).map((n) => n.key), clicks: () => clicks };
}

const alert = (id: number, severity: Alert['severity'] = 'critical'): Alert => ({
  id, gateway: 'gw-a', device: `lift-${id}`, rule: 'entrapment', state: 'raised', severity, message: `Passenger trapped in lift-${id}`,
  raisedAt: 1_000, updatedAt: 1_000, acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null,
} as Alert);

describe('alarm desktop notifications', () => {
  it('shows one per alert and closes each once its alert is no longer unacknowledged', () => {
    const h = harness();
    h.notes.notify([alert(1), alert(2)]);
    expect(h.all.map((n) => [n.title, n.body])).toEqual([['critical alert 1', 'Passenger trapped in lift-1'], ['critical alert 2', 'Passenger trapped in lift-2']]);
    h.notes.settle((id) => id === 2, true);
    expect(h.open()).toEqual([2]);
    h.notes.settle(() => false, false);
    expect(h.open()).toEqual([]);
  });

  it('gathers a burst into one summary that closes when nothing is left unacknowledged', () => {
    const h = harness();
    const burst = Array.from({ length: MAX_SEPARATE + 2 }, (_, i) => alert(10 + i, i === 0 ? 'major' : 'critical'));
    h.notes.notify(burst);
    expect(h.all.map((n) => [n.title, n.body])).toEqual([
      [`${burst.length} new alerts`, `${burst.length - 1} critical; newest: Passenger trapped in lift-${10 + burst.length - 1}`],
    ]);
    h.notes.settle((id) => id === 12, true);
    expect(h.open()).toEqual(['summary']);
    h.notes.settle(() => false, false);
    expect(h.open()).toEqual([]);
  });

  it('a click brings the board forward and closes the notification; a repeat of one alert replaces it', () => {
    const h = harness();
    h.notes.notify([alert(3)]);
    h.notes.notify([alert(3)]);
    expect(h.all.map((n) => n.closed)).toEqual([true, false]);
    h.all[1]!.click();
    expect(h.clicks()).toBe(1);
    expect(h.open()).toEqual([]);
  });

  it('closes everything at sign-out, and shows nothing for no alerts', () => {
    const h = harness();
    h.notes.notify([]);
    expect(h.all).toEqual([]);
    h.notes.notify([alert(5)]);
    h.notes.notify([alert(6), alert(7), alert(8), alert(9)]);
    h.notes.closeAll();
    expect(h.open()).toEqual([]);
  });
});
