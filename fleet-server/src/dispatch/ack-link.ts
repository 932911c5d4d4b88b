import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { parseNotificationKey } from '../alerts/plan-notifications.js';
import { ByteReader, writeUint, writeVarint } from './ack-token-bytes.js';

/**
 * Signed acknowledgement links, compact enough that the whole alert SMS fits one 160-septet
 * GSM-7 segment: base64url of
 *
 *   version u8 (1) | alertId varint | step varint | round varint | keyTag 3 bytes
 *   | expiresAt minutes u32 BE | HMAC-SHA256(secret, DOMAIN | everything before)[0..12]
 *
 * 21-22 bytes → 28-30 characters for alert ids below 16,384 and step and round below 128;
 * at most 48 characters. With https://fleet.example.com the link is under 60 characters, which
 * leaves ~85 septets of the SMS for site, device, fault and time (sms-text.ts).
 * The token names its notification by the step and round parsed from the notification key
 * (0/0 for keys of another shape) plus 3 bytes of SHA-256(key); acceptAckToken maps that back
 * to the full key (and so the contact) through the alert's notifications.
 *
 * The token is not stored. Single use is enforced by the alert's state, not by a used-token table:
 * once the alert is acknowledged or resolved, `refuseUsedAck` rejects every token for it as 'used'.
 */
export interface AckTokenInput {
  readonly alertId: number;
  /** The key of the notification whose SMS carries the link (plan-notifications.ts). */
  readonly notificationKey: string;
  /** Epoch ms after which the link no longer acknowledges; rounded up to the minute. */
  readonly expiresAt: number;
}

/** What a verified token says. */
export interface AckPayload {
  readonly alertId: number;
  /** Escalation step and round from the notification key; 0 and 0 when the key has another shape. */
  readonly step: number;
  readonly round: number;
  /** First 3 bytes of SHA-256(notification key), big-endian (see ackKeyTag). */
  readonly keyTag: number;
  /** Epoch ms, a whole minute. */
  readonly expiresAt: number;
}

export type AckTokenError = 'tampered' | 'expired' | 'malformed';
export type AckVerification =
  | { readonly ok: true; readonly payload: AckPayload }
  | { readonly ok: false; readonly error: AckTokenError | 'used' };

const VERSION = 1;
/** Binds the MAC to this use of the secret, so no other signed value can pass as a token. */
const DOMAIN = Buffer.from('edgefleet/ack-link/v1\0', 'utf8');
/**
 * 80-bit tag, the floor RFC 2104 §5 sets for truncated HMACs. Nobody can compute tags offline
 * without the secret, so forging is online guessing against GET /ack: each try succeeds with
 * probability 2^-80, and a year of 1,000 tries a second (≈ 2^35 tries) stays below 2^-45.
 * Links also expire (alerts.ackLinkTtlMs) and work once. Two more MAC bytes would cost three
 * characters of the fault text in every SMS.
 */
const MAC_BYTES = 10;
const TAG_BYTES = 3;
const MINUTE_MS = 60_000;
/** version + 3 one-byte varints + tag + u32 minutes. */
const MIN_BODY_BYTES = 1 + 3 + TAG_BYTES + 4;
/** version + alertId (8) + step and round (5 each) + tag + u32 minutes, and the MAC. */
const MAX_TOKEN_BYTES = 1 + 8 + 5 + 5 + TAG_BYTES + 4 + MAC_BYTES;
const MAX_STEP = 2 ** 31;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function mac(body: Uint8Array, secret: string): Buffer {
  return createHmac('sha256', secret).update(DOMAIN).update(body).digest().subarray(0, MAC_BYTES);
}

function requireSecret(secret: string): void {
  // An empty or short key makes the HMAC forgeable; fail at startup rather than mint weak links.
  if (secret.length < 16) throw new Error('ack secret must be at least 16 characters');
}

/** First 3 bytes of SHA-256(key): tells the contacts of one step and round apart. */
export function ackKeyTag(notificationKey: string): number {
  const digest = createHash('sha256').update(notificationKey, 'utf8').digest();
  return digest.readUIntBE(0, TAG_BYTES);
}

export function createAckToken(input: AckTokenInput, secret: string): string {
  requireSecret(secret);
  const { alertId, notificationKey, expiresAt } = input;
  if (!Number.isSafeInteger(alertId) || alertId <= 0) throw new Error(`ack token: alertId must be a positive integer, got ${alertId}`);
  if (notificationKey.length === 0) throw new Error('ack token: notificationKey must not be empty');
  const minutes = Math.ceil(expiresAt / MINUTE_MS);
  if (!Number.isSafeInteger(minutes) || minutes < 0 || minutes > 0xffff_ffff) throw new Error(`ack token: expiresAt out of range: ${expiresAt}`);
  const parsed = parseNotificationKey(notificationKey);
  // A key of another alert or shape still gets a link; only its step and round are not named.
  const named = parsed?.alertId === alertId && parsed.step <= MAX_STEP && parsed.round <= MAX_STEP ? parsed : undefined;
  const body: number[] = [VERSION];
  writeVarint(alertId, body);
  writeVarint(named?.step ?? 0, body);
  writeVarint(named?.round ?? 0, body);
  writeUint(ackKeyTag(notificationKey), TAG_BYTES, body);
  writeUint(minutes, 4, body);
  const bytes = Buffer.from(body);
  return Buffer.concat([bytes, mac(bytes, secret)]).toString('base64url');
}

function decodeBody(body: Uint8Array): AckPayload | undefined {
  const reader = new ByteReader(body);
  if (reader.u8() !== VERSION) return undefined;
  const alertId = reader.varint();
  const step = reader.varint();
  const round = reader.varint();
  const keyTag = reader.uint(TAG_BYTES);
  const minutes = reader.uint(4);
  if (alertId === undefined || step === undefined || round === undefined || keyTag === undefined || minutes === undefined) return undefined;
  if (reader.remaining !== 0 || alertId < 1) return undefined;
  return { alertId, step, round, keyTag, expiresAt: minutes * MINUTE_MS };
}

/** Checks shape, then signature (constant time), then expiry; the alert state check is separate. */
export function verifyAckToken(token: string, secret: string, nowMs: number): AckVerification {
  requireSecret(secret);
  if (!BASE64URL.test(token) || token.length > Math.ceil((MAX_TOKEN_BYTES * 4) / 3)) return { ok: false, error: 'malformed' };
  const bytes = Buffer.from(token, 'base64url');
  // Node ignores spare bits in the last character; a second spelling of the same bytes is not ours.
  if (bytes.toString('base64url') !== token || bytes.length < MIN_BODY_BYTES + MAC_BYTES) return { ok: false, error: 'malformed' };
  const body = bytes.subarray(0, bytes.length - MAC_BYTES);
  if (!timingSafeEqual(bytes.subarray(body.length), mac(body, secret))) return { ok: false, error: 'tampered' };
  const payload = decodeBody(body);
  if (!payload) return { ok: false, error: 'malformed' };
  if (nowMs >= payload.expiresAt) return { ok: false, error: 'expired' };
  return { ok: true, payload };
}

/** The name an acknowledgement records when the notification row cannot be found. */
export function ackNotificationName(payload: AckPayload): string {
  const tag = payload.keyTag.toString(16).padStart(TAG_BYTES * 2, '0');
  return payload.step > 0
    ? `alert:${payload.alertId}:step:${payload.step}:round:${payload.round}:tag:${tag}`
    : `alert:${payload.alertId}:tag:${tag}`;
}

/** True when `key` is the notification key the token was minted for (up to the 24-bit tag). */
export function ackTokenNames(payload: AckPayload, key: string): boolean {
  if (ackKeyTag(key) !== payload.keyTag) return false;
  const parsed = parseNotificationKey(key);
  return payload.step === 0 || (parsed?.step === payload.step && parsed.round === payload.round);
}

/** The reuse rule: a token (or code) for an alert that is already acknowledged or resolved is 'used'. */
export function refuseUsedAck(alertState: string): 'used' | undefined {
  return alertState === 'acknowledged' || alertState === 'resolved' ? 'used' : undefined;
}

export function ackUrlFor(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/ack/${token}`;
}
