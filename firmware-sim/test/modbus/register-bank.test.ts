import { describe, expect, it } from 'vitest';
import { RegisterBank } from '../../src/modbus/register-bank.js';

describe('RegisterBank', () => {
  it('keeps the four tables apart', () => {
    const bank = new RegisterBank();
    bank.setWords('holding', 10, [1, 2]);
    bank.setWords('input', 10, [3, 4]);
    bank.setBits('coil', 10, [1, 0, 1]);
    bank.setBits('discrete', 10, [0, 1]);
    expect(bank.getWords('holding', 9, 4)).toEqual([0, 1, 2, 0]);
    expect(bank.getWords('input', 10, 2)).toEqual([3, 4]);
    expect(bank.getBits('coil', 10, 3)).toEqual([1, 0, 1]);
    expect(bank.getBits('discrete', 10, 2)).toEqual([0, 1]);
  });

  it('spans the full 16-bit address space', () => {
    const bank = new RegisterBank();
    bank.setWords('holding', 65535, [0xffff]);
    expect(bank.getWords('holding', 65534, 2)).toEqual([0, 0xffff]);
    expect(() => bank.getWords('holding', 65535, 2)).toThrow(/holding: range 65535\+2/);
  });

  it('rejects values that are not words or bits, naming the address', () => {
    const bank = new RegisterBank();
    expect(() => bank.setWords('holding', 5, [1, 70000])).toThrow(/holding\[6\]: 70000/);
    expect(() => bank.setWords('input', 0, [-1])).toThrow(/input\[0\]/);
    expect(() => bank.setBits('coil', 3, [2])).toThrow(/coil\[3\]: 2 is not a bit/);
  });

  it('returns copies, not views', () => {
    const bank = new RegisterBank();
    const words = bank.getWords('holding', 0, 1);
    words[0] = 9;
    expect(bank.getWords('holding', 0, 1)).toEqual([0]);
  });
});
