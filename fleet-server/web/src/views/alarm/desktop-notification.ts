// Desktop notifications for new critical alerts while the tab is hidden (opt-in, docs/dashboard.md
// "Alarm signals"). Clicking one brings the tab forward on the alert board. A notification goes
// away once its alert is acknowledged (or resolved) here or anywhere: a control room's screen
// should not keep shouting about what someone already took.
import type { Alert } from '../../api/types.js';
import { href } from '../../lib/router.js';

/** More new alerts at once than this (a replay after a drop, a storm) get one summary instead of one each. */
export const MAX_SEPARATE = 3;
const SUMMARY = 'summary';

const supported = (): boolean => typeof Notification !== 'undefined';
/** Open notifications by alert id ('summary' for the one that counts several). */
const shown = new Map<number | typeof SUMMARY, Notification>();

/** Asks for permission (call it from the click that opts in); true when notifications may be shown. */
export async function allowNotifications(): Promise<boolean> {
  if (!supported()) return false;
  if (Notification.permission === 'granted') return true;
  return (await Notification.requestPermission()) === 'granted';
}

function show(key: number | typeof SUMMARY, title: string, body: string): void {
  // The tag replaces rather than stacks a second notification of the same alert.
  const n = new Notification(title, { body, tag: `edgefleet-alert-${key}`, requireInteraction: true });
  shown.get(key)?.close();
  shown.set(key, n);
  n.onclick = () => {
    focus();
    location.hash = href.alerts;
    close(key);
  };
}

function close(key: number | typeof SUMMARY): void {
  shown.get(key)?.close();
  shown.delete(key);
}

/** One notification per alert, or one summary when more than MAX_SEPARATE arrive together. */
export function notifyAlerts(alerts: readonly Alert[]): void {
  if (alerts.length === 0 || !supported() || Notification.permission !== 'granted') return;
  if (alerts.length <= MAX_SEPARATE) {
    for (const a of alerts) show(a.id, `${a.severity} alert ${a.id}`, a.message);
    return;
  }
  const critical = alerts.filter((a) => a.severity === 'critical').length;
  show(SUMMARY, `${alerts.length} new alerts`, `${critical} critical; newest: ${alerts[alerts.length - 1]?.message ?? ''}`);
}

/**
 * Closes the notifications of alerts no longer unacknowledged; the summary once none is left.
 * `stillUnacked` is what the page knows (UnackedAlerts.has).
 */
export function closeSettledNotifications(stillUnacked: (id: number) => boolean, anyUnacked: boolean): void {
  for (const key of [...shown.keys()]) {
    if (key === SUMMARY ? !anyUnacked : !stillUnacked(key)) close(key);
  }
}

/** Signed out: nothing of this session stays on screen. */
export function closeAllNotifications(): void {
  for (const key of [...shown.keys()]) close(key);
}
