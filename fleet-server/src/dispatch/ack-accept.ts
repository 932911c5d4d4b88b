import { StoreError } from '../store/index.js';
import type { Alert, Store } from '../store/index.js';
import { refuseUsedAck, verifyAckToken } from './ack-link.js';
import type { AckPayload, AckTokenError } from './ack-link.js';

export type AckRefusal = AckTokenError | 'used' | 'unknown-alert';

export type AckAcceptance =
  | { readonly ok: true; readonly alert: Alert; readonly payload: AckPayload }
  | { readonly ok: false; readonly error: AckRefusal };

export interface AcceptAckOptions {
  readonly token: string;
  readonly secret: string;
  readonly now: number;
  /** Recorded as acknowledged-by and audit actor; default `ack-link:<notification key>`. */
  readonly actor?: string;
}

/**
 * Acknowledges the alert a link names. Single use without a used-token table: the state
 * transition is the guard, so a second click (or a race of two) finds the alert acknowledged
 * and gets 'used'; the same holds once the alert is resolved.
 */
export async function acceptAckToken(
  store: Pick<Store, 'getAlert' | 'transitionAlert' | 'appendAudit'>,
  options: AcceptAckOptions,
): Promise<AckAcceptance> {
  const verified = verifyAckToken(options.token, options.secret, options.now);
  if (!verified.ok) return verified;
  const { payload } = verified;
  const current = await store.getAlert(payload.alertId);
  if (!current) return { ok: false, error: 'unknown-alert' };
  const used = refuseUsedAck(current.state);
  if (used) return { ok: false, error: used };
  const actor = options.actor ?? `ack-link:${payload.notificationKey}`;
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
    details: { via: 'link', notificationKey: payload.notificationKey },
  });
  return { ok: true, alert, payload };
}
