import { describe, expect, it } from 'vitest';
import { decodeUplink } from '../../src/ingest/decode-uplink.js';

const T0 = 1_700_000_000_000;
const batch = (gateway: string, items: unknown[]): Buffer =>
  Buffer.from(JSON.stringify({ v: 1, gateway, stream: 'telemetry', sentAt: T0, items }));
const reading = { seq: 1, device: 'm-1', point: 'volume', ts: T0, value: 12.5, quality: 'good' };

describe('decodeUplink', () => {
  it('accepts a valid telemetry batch of the topic gateway', () => {
    const result = decodeUplink('gw-a', 'telemetry', batch('gw-a', [reading]));
    expect(result).toEqual({ ok: true, message: { channel: 'telemetry', body: JSON.parse(batch('gw-a', [reading]).toString()) } });
  });

  it.each([
    ['not JSON', Buffer.from('{"v":1'), 'json'],
    ['binary garbage', Buffer.from([0xff, 0x00, 0x13]), 'json'],
    ['JSON of the wrong shape', Buffer.from('[1,2,3]'), 'schema'],
    ['an empty batch', batch('gw-a', []), 'schema'],
    ['a reading with a string seq', batch('gw-a', [{ ...reading, seq: '1' }]), 'schema'],
    ['an unknown field (strict schema)', batch('gw-a', [{ ...reading, extra: true }]), 'schema'],
    ['another gateway in the payload', batch('gw-b', [reading]), 'gateway-mismatch'],
  ])('rejects %s', (_name, payload, reason) => {
    const result = decodeUplink('gw-a', 'telemetry', payload);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(reason);
  });

  it('validates each channel with its own schema', () => {
    const status = Buffer.from(JSON.stringify({ v: 1, gateway: 'gw-a', state: 'offline', ts: T0, reason: 'lastwill' }));
    expect(decodeUplink('gw-a', 'status', status).ok).toBe(true);
    expect(decodeUplink('gw-a', 'telemetry', status).ok).toBe(false);
  });
});
