import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The short code for an "ACK <code>" SMS reply: `<alertId>-<6 chars of base32 HMAC>`, e.g. "17-K3M9QX".
 * Short enough to type on a phone; 30 bits of MAC stop guessing another alert's code, and the
 * reply must also come from the contact's phone number (checked by the inbound handler).
 */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I/L: codes are read and typed by people
const MAC_CHARS = 6;

function macFor(alertId: number, secret: string): string {
  const digest = createHmac('sha256', secret).update(`ack-code:${alertId}`).digest();
  let out = '';
  for (let i = 0; i < MAC_CHARS; i++) out += ALPHABET[(digest[i] ?? 0) % ALPHABET.length];
  return out;
}

export function createAckCode(alertId: number, secret: string): string {
  if (!Number.isInteger(alertId) || alertId <= 0) throw new Error(`ack code: alertId must be a positive integer, got ${alertId}`);
  return `${alertId}-${macFor(alertId, secret)}`;
}

export type AckCodeVerification = { readonly ok: true; readonly alertId: number } | { readonly ok: false; readonly error: 'malformed' | 'tampered' };

const CODE = /^([1-9]\d{0,15})-([A-Z0-9]{6})$/;

export function verifyAckCode(code: string, secret: string): AckCodeVerification {
  const match = CODE.exec(code.trim().toUpperCase());
  const [, id, mac] = match ?? [];
  if (!id || !mac) return { ok: false, error: 'malformed' };
  const alertId = Number(id);
  if (!Number.isSafeInteger(alertId)) return { ok: false, error: 'malformed' };
  const expected = Buffer.from(macFor(alertId, secret));
  const given = Buffer.from(mac);
  if (!timingSafeEqual(given, expected)) return { ok: false, error: 'tampered' };
  return { ok: true, alertId };
}

/** "ACK 17-K3M9QX", "ack 17-k3m9qx ", "Ack: 17-K3M9QX" → the code; anything else → undefined. */
export function parseAckReply(smsBody: string): string | undefined {
  const match = /^\s*ack\s*[:\s]\s*(\S+)\s*$/i.exec(smsBody);
  return match?.[1]?.toUpperCase();
}
