// Desktop notifications for new critical alerts while the tab is hidden (opt-in, docs/dashboard.md
// "Alarm signals"). Clicking one brings the tab forward on the alert board.
import type { Alert } from '../../api/types.js';
import { href } from '../../lib/router.js';

const supported = (): boolean => typeof Notification !== 'undefined';

/** Asks for permission (call it from the click that opts in); true when notifications may be shown. */
export async function allowNotifications(): Promise<boolean> {
  if (!supported()) return false;
  if (Notification.permission === 'granted') return true;
  return (await Notification.requestPermission()) === 'granted';
}

export function notifyAlert(alert: Alert): void {
  if (!supported() || Notification.permission !== 'granted') return;
  // The tag replaces rather than stacks a second notification of the same alert.
  const n = new Notification(`${alert.severity} alert ${alert.id}`, { body: alert.message, tag: `edgefleet-alert-${alert.id}`, requireInteraction: true });
  n.onclick = () => {
    focus();
    location.hash = href.alerts;
    n.close();
  };
}
