// Desktop notifications for new critical alerts while the tab is hidden (opt-in, docs/dashboard.md
// "Alarm signals"): the Notification API behind lib/alarm-notifications.ts, which decides what is
// shown and when it closes. Clicking one brings the tab forward on the alert board.
import { AlarmNotifications } from '../../lib/alarm-notifications.js';
import { href } from '../../lib/router.js';

const supported = (): boolean => typeof Notification !== 'undefined';

/** Asks for permission (call it from the click that opts in); true when notifications may be shown. */
export async function allowNotifications(): Promise<boolean> {
  if (!supported()) return false;
  if (Notification.permission === 'granted') return true;
  return (await Notification.requestPermission()) === 'granted';
}

/** Shows nothing unless the browser granted permission (asked when the operator opted in). */
export const alarmNotifications = new AlarmNotifications(
  (key, title, body, onClick) => {
    if (!supported() || Notification.permission !== 'granted') return { close: () => undefined };
    // The tag replaces rather than stacks a second notification of the same alert.
    const n = new Notification(title, { body, tag: `edgefleet-alert-${key}`, requireInteraction: true });
    n.onclick = onClick;
    return n;
  },
  () => {
    focus();
    location.hash = href.alerts;
  },
);
