import { describe, expect, it } from 'vitest';
import { SimUnit } from '../../src/unit/sim-unit.js';
import type { WriteEvent } from '../../src/unit/sim-unit.js';
import { pdu, writeCoilsPdu, writeRegistersPdu } from './pdu-builders.js';
import { testProfile } from './test-profile.js';

function makeUnit(transport = {}): SimUnit {
  return new SimUnit({ unit: 7, profile: testProfile({}, transport) });
}

function exceptionOf(unit: SimUnit, request: Buffer): number | undefined {
  const reply = unit.handle(request);
  expect(reply.pdu?.[0]).toBe((request[0] ?? 0) | 0x80);
  expect(reply.pdu?.[1]).toBe(reply.exception);
  return reply.exception;
}

describe('SimUnit reads', () => {
  it('FC03 and FC04 return big-endian registers from the bank', () => {
    const unit = makeUnit();
    unit.bank.setWords('holding', 20, [0x1234, 0xfffe, 7]);
    unit.bank.setWords('input', 20, [42]);
    expect(unit.handle(pdu(3, 20, 3)).pdu).toEqual(Buffer.from([3, 6, 0x12, 0x34, 0xff, 0xfe, 0, 7]));
    expect(unit.handle(pdu(4, 20, 1)).pdu).toEqual(Buffer.from([4, 2, 0, 42]));
  });

  it('FC01 and FC02 pack bits LSB first', () => {
    const unit = makeUnit();
    unit.bank.setBits('coil', 0, [1, 0, 1, 1, 0, 0, 0, 0, 1]);
    unit.bank.setBits('discrete', 3, [1]);
    expect(unit.handle(pdu(1, 0, 9)).pdu).toEqual(Buffer.from([1, 2, 0b00001101, 0b1]));
    expect(unit.handle(pdu(2, 0, 4)).pdu).toEqual(Buffer.from([2, 1, 0b1000]));
  });
});

describe('SimUnit writes', () => {
  it('FC06 and FC16 land in the bank, echo as specified and fire onWrite', () => {
    const unit = makeUnit();
    const seen: WriteEvent[] = [];
    unit.onWrite((w) => seen.push(w));
    expect(unit.handle(pdu(6, 30, 0xbeef)).pdu).toEqual(pdu(6, 30, 0xbeef));
    expect(unit.handle(writeRegistersPdu(40, [1, 2, 3])).pdu).toEqual(pdu(16, 40, 3));
    expect(unit.bank.getWords('holding', 30, 1)).toEqual([0xbeef]);
    expect(unit.bank.getWords('holding', 40, 3)).toEqual([1, 2, 3]);
    expect(seen).toEqual([
      { table: 'holding', address: 30, values: [0xbeef] },
      { table: 'holding', address: 40, values: [1, 2, 3] },
    ]);
    expect(unit.stats.writes).toBe(2);
  });

  it('FC05 and FC15 land in the coils and fire onWrite', () => {
    const unit = makeUnit();
    const seen: WriteEvent[] = [];
    const unsubscribe = unit.onWrite((w) => seen.push(w));
    expect(unit.handle(pdu(5, 3, 0xff00)).pdu).toEqual(pdu(5, 3, 0xff00));
    expect(unit.handle(writeCoilsPdu(10, [1, 0, 0, 1, 1, 0, 1, 0, 1])).pdu).toEqual(pdu(15, 10, 9));
    expect(unit.bank.getBits('coil', 3, 1)).toEqual([1]);
    expect(unit.bank.getBits('coil', 10, 9)).toEqual([1, 0, 0, 1, 1, 0, 1, 0, 1]);
    expect(seen.map((w) => w.values)).toEqual([[1], [1, 0, 0, 1, 1, 0, 1, 0, 1]]);
    unsubscribe();
    unit.handle(pdu(5, 3, 0x0000));
    expect(unit.bank.getBits('coil', 3, 1)).toEqual([0]);
    expect(seen).toHaveLength(2);
  });
});

describe('SimUnit exceptions', () => {
  it('1: an unsupported function code, and a write code the profile does not list', () => {
    const unit = makeUnit({ writeFunctions: [16] });
    expect(exceptionOf(unit, pdu(0x07))).toBe(1);
    expect(exceptionOf(unit, pdu(0x41, 0))).toBe(1);
    expect(exceptionOf(unit, pdu(6, 1, 1))).toBe(1);
    expect(exceptionOf(unit, pdu(5, 1, 0xff00))).toBe(1);
    expect(unit.bank.getWords('holding', 1, 1)).toEqual([0]);
    expect(unit.handle(writeRegistersPdu(1, [5])).exception).toBeUndefined();
  });

  it('2: beyond the 16-bit address space', () => {
    const unit = makeUnit();
    expect(exceptionOf(unit, pdu(3, 65535, 2))).toBe(2);
    expect(exceptionOf(unit, pdu(1, 65000, 537))).toBe(2);
    expect(exceptionOf(unit, writeRegistersPdu(65534, [1, 2, 3]))).toBe(2);
  });

  it('2: the hole 101..110 (base 1) is protocol 100..109, its neighbours are readable', () => {
    const unit = makeUnit();
    expect(unit.handle(pdu(3, 95, 5)).exception).toBeUndefined(); // 95..99
    expect(exceptionOf(unit, pdu(3, 96, 5))).toBe(2); // 96..100
    expect(exceptionOf(unit, pdu(3, 109, 1))).toBe(2);
    expect(unit.handle(pdu(3, 110, 1)).exception).toBeUndefined();
    expect(exceptionOf(unit, pdu(6, 105, 1))).toBe(2);
    expect(exceptionOf(unit, writeRegistersPdu(98, [1, 2, 3]))).toBe(2);
    expect(exceptionOf(unit, pdu(5, 500, 0xff00))).toBe(2);
    expect(unit.handle(pdu(4, 100, 10)).exception).toBeUndefined(); // holes are per table
  });

  it('3: quantity 0, above the protocol limit, or above the device\'s own cap', () => {
    const unit = makeUnit();
    expect(exceptionOf(unit, pdu(3, 0, 0))).toBe(3);
    expect(exceptionOf(unit, pdu(3, 0, 101))).toBe(3); // device cap 100
    expect(unit.handle(pdu(3, 0, 100)).exception).toBeUndefined();
    expect(exceptionOf(unit, pdu(1, 0, 1001))).toBe(3); // device cap 1000 bits
    const wide = makeUnit({ maxRegistersPerRead: 125, maxBitsPerRead: 2000 });
    expect(wide.handle(pdu(4, 0, 125)).exception).toBeUndefined();
    expect(exceptionOf(wide, pdu(4, 0, 126))).toBe(3);
    expect(exceptionOf(wide, pdu(2, 0, 2001))).toBe(3);
    expect(exceptionOf(wide, writeRegistersPdu(0, new Array<number>(124).fill(1)))).toBe(3);
  });

  it('3: malformed write requests (coil value, byte count, truncated PDU)', () => {
    const unit = makeUnit();
    expect(exceptionOf(unit, pdu(5, 1, 0x1234))).toBe(3);
    const badCount = writeRegistersPdu(0, [1, 2]);
    badCount[5] = 3;
    expect(exceptionOf(unit, badCount)).toBe(3);
    expect(exceptionOf(unit, pdu(3, 0))).toBe(3);
    expect(exceptionOf(unit, writeCoilsPdu(0, []))).toBe(3);
  });

  it('4 (or any code) under the exception fault; silence under noReply, without applying writes', () => {
    const unit = makeUnit();
    unit.faults.exception = 4;
    expect(exceptionOf(unit, pdu(3, 0, 1))).toBe(4);
    unit.faults.exception = 6;
    expect(exceptionOf(unit, pdu(6, 0, 1))).toBe(6);
    unit.faults.exception = undefined;
    unit.faults.noReply = true;
    expect(unit.handle(pdu(6, 0, 9)).pdu).toBeUndefined();
    expect(unit.bank.getWords('holding', 0, 1)).toEqual([0]);
    expect(unit.stats).toMatchObject({ requests: 3, exceptions: 2, silent: 1, writes: 0 });
  });
});
