import { StoreError } from '../store/index.js';
import type { Alert, Store } from '../store/index.js';
import { ackNotificationName, ackTokenNames, refuseUsedAck, verifyAckToken } from './ack-link.js';
import type { AckPayload, AckTokenError } from './ack-link.js';

export type AckRefusal = AckTokenError | 'used' | 'unknown-alert';

export type AckAcceptance =
  | { readonly ok: true; readonly alert: Alert; readonly payload: AckPayload; readonly notificationKey: string }
  | { readonly ok: false; readonly error: AckRefusal };

export interface AcceptAckOptions {
  readonly token: string;
  readonly secret: string;
  readonly now: number;
  /** Recorded as acknowledged-by and audit actor; default `ack-link:<notification key>` (see resolveNotificationKey). */
  readonly actor?: string;
}

export type AckAcceptStore = Pick<Store, 'getAlert' | 'transitionAlert' | 'appendAudit' | 'listNotificationsForAlert'>;

/**
 * The token carries only step, round and a 24-bit tag of the key (ack-link.ts); the alert's
 * notifications give back the full key, and with it the contact the SMS went to. Falls back to a
 * name built from the token when no row matches.
 */
async function resolveNotificationKey(store: AckAcceptStore, payload: AckPayload): Promise<string> {
  const notifications = await store.listNotificationsForAlert(payload.alertId);
  return notifications.find((n) => ackTokenNames(payload, n.key))?.key ?? ackNotificationName(payload);
}

/**
 * Acknowledges the alert a link names. Single use without a used-token table: the state
 * transition is the guard, so a second click (or a race of two) finds the alert acknowledged
 * and gets 'used'; the same holds once the alert is resolved.
 */
export async function acceptAckToken(
  store: AckAcceptStore,
  options: AcceptAckOptions,
): Promise<AckAcceptance> {
  const verified = verifyAckToken(options.token, options.secret, options.now);
  if (!verified.ok) return verified;
  const { payload } = verified;
  const current = await store.getAlert(payload.alertId);
  if (!current) return { ok: false, error: 'unknown-alert' };
  const used = refuseUsedAck(current.state);
  if (used) return { ok: false, error: used };
  const notificationKey = await resolveNotificationKey(store, payload);
  const actor = options.actor ?? `ack-link:${notificationKey}`;
  let alert: Alert;
  try {
    alert = await store.transitionAlert(payload.alertId, 'acknowledged', options.now, actor);
  } catch (error) {
    // Another acknowledgement won the race between getAlert and the transition.
    if (error instanceof StoreError && error.code === 'ALERT_TRANSITION') return { ok: false, error: 'used' };
    throw error;
  }
  await store.appendAudit({
    at: options.now, actor, action: 'alert.acknowledge', target: `alert:${alert.id}`,
    details: { via: 'link', notificationKey },
  });
  return { ok: true, alert, payload, notificationKey };
}
