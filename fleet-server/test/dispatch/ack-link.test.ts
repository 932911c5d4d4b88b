import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { notificationKey } from '../../src/alerts/index.js';
import {
  ackKeyTag, ackNotificationName, ackTokenNames, ackUrlFor, createAckToken, refuseUsedAck, verifyAckToken,
} from '../../src/dispatch/index.js';

const SECRET = 'ack-secret-0123456789';
const MINUTE = 60_000;
const EXPIRES = 29_000_000 * MINUTE; // a whole minute in 2025
const KEY = notificationKey(17, 2, 3, 'anna');
const INPUT = { alertId: 17, notificationKey: KEY, expiresAt: EXPIRES };
const PAYLOAD = { alertId: 17, step: 2, round: 3, keyTag: ackKeyTag(KEY), expiresAt: EXPIRES };

/** A token for arbitrary body bytes, signed the way ack-link.ts signs (domain + body, 10 bytes). */
function signRaw(body: number[]): string {
  const bytes = Buffer.from(body);
  const mac = createHmac('sha256', SECRET).update('edgefleet/ack-link/v1\0').update(bytes).digest().subarray(0, 10);
  return Buffer.concat([bytes, mac]).toString('base64url');
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('ack tokens', () => {
  it('round-trips a valid token before expiry, is 28 URL-safe characters and names step and round', () => {
    const token = createAckToken(INPUT, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]{28}$/);
    expect(encodeURIComponent(token)).toBe(token);
    expect(verifyAckToken(token, SECRET, EXPIRES - 1)).toEqual({ ok: true, payload: PAYLOAD });
  });

  it.each([
    [1, 28], [127, 28], [128, 30], [16_383, 30], [16_384, 31], [2_097_152, 32], [Number.MAX_SAFE_INTEGER, 38],
  ])('alert id %i gives a %i-character token', (alertId, length) => {
    const token = createAckToken({ alertId, notificationKey: notificationKey(alertId, 1, 0, 'c1'), expiresAt: EXPIRES }, SECRET);
    expect(token).toHaveLength(length);
    expect(verifyAckToken(token, SECRET, 0)).toMatchObject({ ok: true, payload: { alertId, step: 1, round: 0 } });
  });

  it('rounds the expiry up to the minute and refuses the token at and after it', () => {
    const token = createAckToken({ ...INPUT, expiresAt: EXPIRES - MINUTE + 1 }, SECRET);
    expect(verifyAckToken(token, SECRET, EXPIRES - 1)).toMatchObject({ ok: true, payload: { expiresAt: EXPIRES } });
    expect(verifyAckToken(token, SECRET, EXPIRES)).toEqual({ ok: false, error: 'expired' });
    expect(verifyAckToken(token, SECRET, EXPIRES + 3_600_000)).toEqual({ ok: false, error: 'expired' });
  });

  it('a key of another shape gets step 0 and still names its notification by tag', () => {
    const token = createAckToken({ ...INPUT, notificationKey: 'resend:17:anna' }, SECRET);
    const verified = verifyAckToken(token, SECRET, 0);
    expect(verified).toEqual({ ok: true, payload: { ...PAYLOAD, step: 0, round: 0, keyTag: ackKeyTag('resend:17:anna') } });
    if (!verified.ok) return;
    expect(ackTokenNames(verified.payload, 'resend:17:anna')).toBe(true);
    expect(ackTokenNames(verified.payload, KEY)).toBe(false);
    expect(ackNotificationName(verified.payload)).toMatch(/^alert:17:tag:[0-9a-f]{6}$/);
  });

  it('tells the contacts of one step and round apart, and names the step when no row matches', () => {
    const verified = verifyAckToken(createAckToken(INPUT, SECRET), SECRET, 0);
    if (!verified.ok) throw new Error('expected a valid token');
    expect(ackTokenNames(verified.payload, KEY)).toBe(true);
    expect(ackTokenNames(verified.payload, notificationKey(17, 2, 3, 'ben'))).toBe(false);
    expect(ackTokenNames(verified.payload, notificationKey(17, 2, 4, 'anna'))).toBe(false);
    expect(ackNotificationName(verified.payload)).toMatch(/^alert:17:step:2:round:3:tag:[0-9a-f]{6}$/);
  });

  it('refuses every single-byte change of the token as tampered', () => {
    const bytes = Buffer.from(createAckToken(INPUT, SECRET), 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      for (const flip of [0x01, 0x80, 0xff]) {
        const changed = Buffer.from(bytes);
        changed[i] = (changed[i] ?? 0) ^ flip;
        expect(verifyAckToken(changed.toString('base64url'), SECRET, 0), `byte ${i} ^ ${flip}`).toEqual({ ok: false, error: 'tampered' });
      }
    }
  });

  it('refuses every single-character change of the link text', () => {
    const token = createAckToken(INPUT, SECRET);
    for (let i = 0; i < token.length; i++) {
      for (const ch of BASE64URL) {
        if (ch === token[i]) continue;
        const changed = `${token.slice(0, i)}${ch}${token.slice(i + 1)}`;
        expect(verifyAckToken(changed, SECRET, 0).ok, `char ${i} → ${ch}`).toBe(false);
      }
    }
  });

  it('refuses a token with a byte removed or added, a cut-off token, and another secret', () => {
    const bytes = Buffer.from(createAckToken({ ...INPUT, alertId: 16_384 }, SECRET), 'base64url');
    expect(verifyAckToken(bytes.subarray(0, -1).toString('base64url'), SECRET, 0)).toEqual({ ok: false, error: 'tampered' });
    expect(verifyAckToken(bytes.subarray(1).toString('base64url'), SECRET, 0)).toEqual({ ok: false, error: 'tampered' });
    expect(verifyAckToken(Buffer.concat([bytes, Buffer.of(0)]).toString('base64url'), SECRET, 0)).toEqual({ ok: false, error: 'tampered' });
    const token = createAckToken(INPUT, SECRET);
    expect(verifyAckToken(token.slice(0, 24), SECRET, 0)).toEqual({ ok: false, error: 'malformed' });
    expect(verifyAckToken(token, 'another-secret-0123456', 0)).toEqual({ ok: false, error: 'tampered' });
  });

  it.each(['', 'abc', 'a.b.c', '.abc', 'abc.', 'a b.c', 'abc.d/e', '%2e.x', 'A'.repeat(27), 'A'.repeat(52)])('calls %j malformed', (token) => {
    expect(verifyAckToken(token, SECRET, 0)).toEqual({ ok: false, error: 'malformed' });
  });

  it('calls a second spelling of the same bytes malformed (spare bits in the last character)', () => {
    const token = createAckToken({ ...INPUT, alertId: 16_384, notificationKey: 'k' }, SECRET); // 23 bytes: 31 chars, 2 spare bits
    const last = token.at(-1) ?? 'A';
    const sibling = `${token.slice(0, -1)}${BASE64URL[BASE64URL.indexOf(last) ^ 1]}`;
    expect(Buffer.from(sibling, 'base64url').equals(Buffer.from(token, 'base64url'))).toBe(true);
    expect(verifyAckToken(sibling, SECRET, 0)).toEqual({ ok: false, error: 'malformed' });
  });

  it.each([
    ['an unknown version', [2, 17, 2, 3, 1, 2, 3, 0, 0xff, 0xff, 0xff]],
    ['a trailing byte', [1, 17, 2, 3, 1, 2, 3, 0, 0xff, 0xff, 0xff, 0]],
    ['alert id 0', [1, 0, 2, 3, 1, 2, 3, 0, 0xff, 0xff, 0xff]],
    ['a varint running into the tag', [1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0, 0, 0]],
  ])('calls a correctly signed body with %s malformed', (_name, body) => {
    expect(verifyAckToken(signRaw(body), SECRET, 0)).toEqual({ ok: false, error: 'malformed' });
  });

  it('refuses weak secrets and invalid input when creating', () => {
    expect(() => createAckToken(INPUT, 'short')).toThrow(/at least 16/);
    expect(() => createAckToken({ ...INPUT, alertId: 0 }, SECRET)).toThrow(/alertId/);
    expect(() => createAckToken({ ...INPUT, notificationKey: '' }, SECRET)).toThrow(/notificationKey/);
    expect(() => createAckToken({ ...INPUT, expiresAt: Number.NaN }, SECRET)).toThrow(/expiresAt/);
    expect(() => createAckToken({ ...INPUT, expiresAt: 2 ** 32 * MINUTE }, SECRET)).toThrow(/expiresAt/);
  });

  it('a reused token is refused by the alert state, not by a table', () => {
    expect(refuseUsedAck('raised')).toBeUndefined();
    expect(refuseUsedAck('notified')).toBeUndefined();
    expect(refuseUsedAck('acknowledged')).toBe('used');
    expect(refuseUsedAck('resolved')).toBe('used');
  });

  it('builds the link under /ack/', () => {
    expect(ackUrlFor('https://fleet.example/', 'abc')).toBe('https://fleet.example/ack/abc');
    expect(ackUrlFor('https://fleet.example', 'abc')).toBe('https://fleet.example/ack/abc');
  });
});
