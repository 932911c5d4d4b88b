import { StoreError } from '../store/index.js';
import type { Alert, Store } from '../store/index.js';
import { parseAckReply, verifyAckCode } from './ack-code.js';
import { refuseUsedAck } from './ack-link.js';

export type AckReplyRefusal = 'not-an-ack' | 'malformed' | 'tampered' | 'unknown-alert' | 'unknown-sender' | 'used';

export type AckReplyAcceptance =
  | { readonly ok: true; readonly alert: Alert; readonly contactId: string }
  | { readonly ok: false; readonly error: AckReplyRefusal };

export interface AcceptAckReplyOptions {
  /** The inbound SMS text, e.g. "ACK 17-K3M9QX". */
  readonly body: string;
  /** The sender's number as the provider reports it (E.164). */
  readonly from: string;
  readonly secret: string;
  readonly now: number;
}

type ReplyStore = Pick<Store, 'getAlert' | 'getGateway' | 'listContacts' | 'transitionAlert' | 'appendAudit'>;

/**
 * Acknowledges from an "ACK <code>" SMS reply. The short code alone is guessable in principle,
 * so the reply must also come from a contact of the alert's site; as with links, the state
 * transition makes a repeated reply 'used'. The caller verifies the provider's webhook signature.
 */
export async function acceptAckReply(store: ReplyStore, options: AcceptAckReplyOptions): Promise<AckReplyAcceptance> {
  const code = parseAckReply(options.body);
  if (code === undefined) return { ok: false, error: 'not-an-ack' };
  const verified = verifyAckCode(code, options.secret);
  if (!verified.ok) return verified;
  const current = await store.getAlert(verified.alertId);
  const gateway = current && (await store.getGateway(current.gateway));
  if (!current || !gateway) return { ok: false, error: 'unknown-alert' };
  const contact = (await store.listContacts(gateway.site)).find((c) => c.phone === options.from);
  if (!contact) return { ok: false, error: 'unknown-sender' };
  const used = refuseUsedAck(current.state);
  if (used) return { ok: false, error: used };
  const actor = `contact:${contact.id}`;
  let alert: Alert;
  try {
    alert = await store.transitionAlert(current.id, 'acknowledged', options.now, actor);
  } catch (error) {
    if (error instanceof StoreError && error.code === 'ALERT_TRANSITION') return { ok: false, error: 'used' };
    throw error;
  }
  await store.appendAudit({ at: options.now, actor, action: 'alert.acknowledge', target: `alert:${alert.id}`, details: { via: 'sms-reply' } });
  return { ok: true, alert, contactId: contact.id };
}
