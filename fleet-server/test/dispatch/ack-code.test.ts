import { describe, expect, it } from 'vitest';
import { createAckCode, parseAckReply, verifyAckCode } from '../../src/dispatch/index.js';

const SECRET = 'ack-secret-0123456789';

describe('ack codes for SMS replies', () => {
  it('creates "<id>-<6 chars>" and verifies it, case-insensitively', () => {
    const code = createAckCode(17, SECRET);
    expect(code).toMatch(/^17-[A-Z2-9]{6}$/);
    expect(verifyAckCode(code, SECRET)).toEqual({ ok: true, alertId: 17 });
    expect(verifyAckCode(` ${code.toLowerCase()} `, SECRET)).toEqual({ ok: true, alertId: 17 });
  });

  it('differs per alert and per secret', () => {
    expect(createAckCode(17, SECRET)).not.toBe(`17-${createAckCode(18, SECRET).slice(3)}`);
    expect(createAckCode(17, SECRET)).not.toBe(createAckCode(17, 'another-secret-0123456'));
  });

  it('refuses another alert id with a valid code\'s MAC as tampered', () => {
    const mac = createAckCode(17, SECRET).split('-')[1] ?? '';
    expect(verifyAckCode(`18-${mac}`, SECRET)).toEqual({ ok: false, error: 'tampered' });
  });

  it.each(['', '17', '17-ABC', '17-ABCDEFG', '0-ABCDEF', '-1-ABCDEF', 'x-ABCDEF', '17 ABCDEF'])('calls %j malformed', (code) => {
    expect(verifyAckCode(code, SECRET)).toEqual({ ok: false, error: 'malformed' });
  });

  it.each([
    ['ACK 17-K3M9QX', '17-K3M9QX'],
    ['ack 17-k3m9qx ', '17-K3M9QX'],
    ['  Ack: 17-K3M9QX', '17-K3M9QX'],
    ['ACK17-K3M9QX', undefined],
    ['OK 17-K3M9QX', undefined],
    ['ACK 17-K3M9QX please', undefined],
    ['ACK', undefined],
  ])('parseAckReply(%j) → %j', (body, expected) => {
    expect(parseAckReply(body)).toBe(expected);
  });

  it('rejects a non-positive alert id when creating', () => {
    expect(() => createAckCode(0, SECRET)).toThrow(/positive integer/);
  });
});
