import { describe, expect, it } from 'vitest';
import { identificationObjects, readDeviceIdentification } from '../../src/modbus/device-identification.js';
import { SimUnit } from '../../src/unit/sim-unit.js';
import { testProfile } from './test-profile.js';

const request = (code: number, objectId: number): Buffer => Buffer.from([0x2b, 0x0e, code, objectId]);

/** Decodes a FC43/14 response PDU (App Protocol v1.1b3 §6.21). */
function decode(pdu: Buffer): { code: number; conformity: number; more: boolean; next: number; objects: Record<number, string> } {
  const objects: Record<number, string> = {};
  let at = 7;
  for (let i = 0; i < (pdu[6] ?? 0); i++) {
    const len = pdu[at + 1] ?? 0;
    objects[pdu[at] ?? -1] = pdu.toString('utf8', at + 2, at + 2 + len);
    at += 2 + len;
  }
  expect(at).toBe(pdu.length);
  return { code: pdu[2] ?? 0, conformity: pdu[3] ?? 0, more: pdu[4] === 0xff, next: pdu[5] ?? 0, objects };
}

const declared = testProfile({
  identification: { vendorName: 'Acme', productCode: 'AC-100-B', revision: '2.07', vendorUrl: 'https://acme.example', productName: 'Acme Level', modelName: 'AC100' },
});

describe('FC43/14 Read Device Identification', () => {
  it('basic stream (code 1) returns objects 0..2 with conformity 0x82', () => {
    const unit = new SimUnit({ unit: 1, profile: declared });
    const reply = decode(unit.handle(request(1, 0)).pdu!);
    expect(reply).toMatchObject({ code: 1, conformity: 0x82, more: false });
    expect(reply.objects).toEqual({ 0: 'Acme', 1: 'AC-100-B', 2: '2.07' });
  });

  it('regular stream (code 2) adds objects 3..5', () => {
    const unit = new SimUnit({ unit: 1, profile: declared });
    expect(decode(unit.handle(request(2, 0)).pdu!).objects).toEqual({
      0: 'Acme', 1: 'AC-100-B', 2: '2.07', 3: 'https://acme.example', 4: 'Acme Level', 5: 'AC100',
    });
  });

  it('individual access (code 4) returns one object; an absent one is exception 2', () => {
    const unit = new SimUnit({ unit: 1, profile: declared });
    expect(decode(unit.handle(request(4, 4)).pdu!).objects).toEqual({ 4: 'Acme Level' });
    expect(unit.handle(request(4, 6)).exception).toBe(2);
  });

  it('falls back to the profile vendor and model, and sends no VendorUrl when none is declared', () => {
    const unit = new SimUnit({ unit: 1, profile: testProfile() });
    expect(decode(unit.handle(request(2, 0)).pdu!).objects).toEqual({
      0: 'Acme Controls', 1: 'AC-100', 2: '', 4: 'AC-100', 5: 'AC-100',
    });
  });

  it('restarts a stream at object 0 when the start id is unknown, and starts mid-way when known', () => {
    const unit = new SimUnit({ unit: 1, profile: declared });
    expect(Object.keys(decode(unit.handle(request(1, 0x50)).pdu!).objects)).toEqual(['0', '1', '2']);
    expect(Object.keys(decode(unit.handle(request(2, 3)).pdu!).objects)).toEqual(['3', '4', '5']);
  });

  it('splits objects over transactions with "more follows" when they exceed one PDU', () => {
    const long = 'x'.repeat(130);
    const objects = identificationObjects(testProfile({ identification: { vendorName: long, productCode: long, revision: '1' } }));
    const first = decode(readDeviceIdentification(request(1, 0), objects).pdu);
    expect(first).toMatchObject({ more: true, next: 1 });
    expect(first.objects).toEqual({ 0: long });
    const second = decode(readDeviceIdentification(request(1, first.next), objects).pdu);
    expect(second).toMatchObject({ more: false });
    expect(second.objects).toEqual({ 1: long, 2: '1' });
  });

  it('rejects other MEI types (exception 1) and unknown read codes (exception 3)', () => {
    const unit = new SimUnit({ unit: 1, profile: declared });
    expect(unit.handle(Buffer.from([0x2b, 0x0d, 1, 0])).exception).toBe(1);
    expect(unit.handle(request(5, 0)).exception).toBe(3);
    expect(unit.handle(Buffer.from([0x2b, 0x0e, 1])).exception).toBe(3);
  });
});
