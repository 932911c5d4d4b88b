import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

/**
 * Signed acknowledgement links: base64url(JSON payload) + '.' + base64url(HMAC-SHA256(payload part)).
 * The token is not stored. Single use is enforced by the alert's state, not by a used-token table:
 * once the alert is acknowledged or resolved, `refuseUsedAck` rejects every token for it as 'used'.
 */
export interface AckPayload {
  readonly alertId: number;
  readonly notificationKey: string;
  /** Epoch ms after which the link no longer acknowledges. */
  readonly expiresAt: number;
}

export type AckTokenError = 'tampered' | 'expired' | 'malformed';
export type AckVerification =
  | { readonly ok: true; readonly payload: AckPayload }
  | { readonly ok: false; readonly error: AckTokenError | 'used' };

const payloadSchema = z.strictObject({
  alertId: z.number().int().positive(),
  notificationKey: z.string().min(1).max(200),
  expiresAt: z.number().int().nonnegative(),
});

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function sign(part: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(part).digest();
}

function requireSecret(secret: string): void {
  // An empty or short key makes the HMAC forgeable; fail at startup rather than mint weak links.
  if (secret.length < 16) throw new Error('ack secret must be at least 16 characters');
}

export function createAckToken(payload: AckPayload, secret: string): string {
  requireSecret(secret);
  const checked = payloadSchema.parse(payload);
  const part = Buffer.from(JSON.stringify(checked), 'utf8').toString('base64url');
  return `${part}.${sign(part, secret).toString('base64url')}`;
}

/** Checks shape, then signature (constant time), then expiry; the alert state check is separate. */
export function verifyAckToken(token: string, secret: string, nowMs: number): AckVerification {
  requireSecret(secret);
  const pieces = token.split('.');
  const [part, mac] = pieces;
  if (pieces.length !== 2 || !part || !mac || !BASE64URL.test(part) || !BASE64URL.test(mac)) {
    return { ok: false, error: 'malformed' };
  }
  const given = Buffer.from(mac, 'base64url');
  const expected = sign(part, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, error: 'tampered' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, error: 'malformed' };
  }
  const parsed = payloadSchema.safeParse(decoded);
  if (!parsed.success) return { ok: false, error: 'malformed' };
  if (nowMs >= parsed.data.expiresAt) return { ok: false, error: 'expired' };
  return { ok: true, payload: parsed.data };
}

/** The reuse rule: a token (or code) for an alert that is already acknowledged or resolved is 'used'. */
export function refuseUsedAck(alertState: string): 'used' | undefined {
  return alertState === 'acknowledged' || alertState === 'resolved' ? 'used' : undefined;
}

export function ackUrlFor(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/ack/${token}`;
}
