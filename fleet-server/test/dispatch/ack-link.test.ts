import { describe, expect, it } from 'vitest';
import { ackUrlFor, createAckToken, refuseUsedAck, verifyAckToken } from '../../src/dispatch/index.js';

const SECRET = 'ack-secret-0123456789';
const PAYLOAD = { alertId: 17, notificationKey: 'alert:17:step:1', expiresAt: 1_000_000 };

function flipLastChar(text: string): string {
  const last = text.at(-1) === 'A' ? 'B' : 'A';
  return `${text.slice(0, -1)}${last}`;
}

describe('ack tokens', () => {
  it('round-trips a valid token before expiry and is URL safe', () => {
    const token = createAckToken(PAYLOAD, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(encodeURIComponent(token)).toBe(token);
    expect(verifyAckToken(token, SECRET, 999_999)).toEqual({ ok: true, payload: PAYLOAD });
  });

  it('refuses an expired token (at and after expiresAt)', () => {
    const token = createAckToken(PAYLOAD, SECRET);
    expect(verifyAckToken(token, SECRET, 1_000_000)).toEqual({ ok: false, error: 'expired' });
    expect(verifyAckToken(token, SECRET, 2_000_000)).toEqual({ ok: false, error: 'expired' });
  });

  it('refuses a token whose payload was changed (another alert id)', () => {
    const token = createAckToken(PAYLOAD, SECRET);
    const [, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...PAYLOAD, alertId: 18 })).toString('base64url');
    expect(verifyAckToken(`${forged}.${mac ?? ''}`, SECRET, 0)).toEqual({ ok: false, error: 'tampered' });
  });

  it('refuses a changed signature, a truncated signature and another secret', () => {
    const token = createAckToken(PAYLOAD, SECRET);
    expect(verifyAckToken(flipLastChar(token), SECRET, 0)).toEqual({ ok: false, error: 'tampered' });
    expect(verifyAckToken(token.slice(0, -4), SECRET, 0)).toEqual({ ok: false, error: 'tampered' });
    expect(verifyAckToken(token, 'another-secret-0123456', 0)).toEqual({ ok: false, error: 'tampered' });
  });

  it.each(['', 'abc', 'a.b.c', '.abc', 'abc.', 'a b.c', 'abc.d/e', '%2e.x'])('calls %j malformed', (token) => {
    expect(verifyAckToken(token, SECRET, 0)).toEqual({ ok: false, error: 'malformed' });
  });

  it('calls a correctly signed but non-payload body malformed', async () => {
    const { createHmac } = await import('node:crypto');
    const part = Buffer.from('{"alertId":"17"}').toString('base64url');
    const mac = createHmac('sha256', SECRET).update(part).digest('base64url');
    expect(verifyAckToken(`${part}.${mac}`, SECRET, 0)).toEqual({ ok: false, error: 'malformed' });
  });

  it('refuses weak secrets and invalid payloads when creating', () => {
    expect(() => createAckToken(PAYLOAD, 'short')).toThrow(/at least 16/);
    expect(() => createAckToken({ ...PAYLOAD, alertId: 0 }, SECRET)).toThrow();
  });

  it('a reused token is refused by the alert state, not by a table', () => {
    expect(refuseUsedAck('raised')).toBeUndefined();
    expect(refuseUsedAck('notified')).toBeUndefined();
    expect(refuseUsedAck('acknowledged')).toBe('used');
    expect(refuseUsedAck('resolved')).toBe('used');
  });

  it('builds the link under /ack/', () => {
    expect(ackUrlFor('https://fleet.example/', 'abc.def')).toBe('https://fleet.example/ack/abc.def');
    expect(ackUrlFor('https://fleet.example', 'abc.def')).toBe('https://fleet.example/ack/abc.def');
  });
});
