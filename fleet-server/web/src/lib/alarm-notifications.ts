// Which desktop notifications of the alarm are on screen, and when they go (docs/dashboard.md
// "Alarm signals"): one per new alert, or one summary for a burst; each closes once its alert is
// no longer unacknowledged (the summary once none is), all at sign-out. No DOM here: the
// Notification API comes in as `show` (views/alarm/desktop-notification.ts).
import type { Alert } from '../api/types.js';

/** More new alerts at once than this (a replay after a drop, a storm) get one summary instead of one each. */
export const MAX_SEPARATE = 3;
export const SUMMARY = 'summary';
export type NotificationKey = number | typeof SUMMARY;

export interface Shown {
  close(): void;
}

/** Shows one notification; `onClick` runs when the user clicks it. */
export type ShowNotification = (key: NotificationKey, title: string, body: string, onClick: () => void) => Shown;

export class AlarmNotifications {
  private readonly shown = new Map<NotificationKey, Shown>();

  constructor(
    private readonly show: ShowNotification,
    /** What a click does besides closing it (bring the tab forward on the alert board). */
    private readonly onClick: () => void,
  ) {}

  /** One notification per alert, or one summary when more than MAX_SEPARATE arrive together. */
  notify(alerts: readonly Alert[]): void {
    if (alerts.length === 0) return;
    if (alerts.length <= MAX_SEPARATE) {
      for (const a of alerts) this.open(a.id, `${a.severity} alert ${a.id}`, a.message);
      return;
    }
    const critical = alerts.filter((a) => a.severity === 'critical').length;
    this.open(SUMMARY, `${alerts.length} new alerts`, `${critical} critical; newest: ${alerts[alerts.length - 1]?.message ?? ''}`);
  }

  /** Closes those of alerts no longer unacknowledged (`stillUnacked`: UnackedAlerts.has); the summary once none is. */
  settle(stillUnacked: (id: number) => boolean, anyUnacked: boolean): void {
    for (const key of [...this.shown.keys()]) {
      if (key === SUMMARY ? !anyUnacked : !stillUnacked(key)) this.close(key);
    }
  }

  /** Signed out: nothing of this session stays on screen. */
  closeAll(): void {
    for (const key of [...this.shown.keys()]) this.close(key);
  }

  private open(key: NotificationKey, title: string, body: string): void {
    this.shown.get(key)?.close();
    this.shown.set(key, this.show(key, title, body, () => {
      this.onClick();
      this.close(key);
    }));
  }

  private close(key: NotificationKey): void {
    this.shown.get(key)?.close();
    this.shown.delete(key);
  }
}
