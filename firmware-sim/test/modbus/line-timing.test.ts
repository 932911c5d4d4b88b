import { describe, expect, it } from 'vitest';
import { bitsPerChar, lineTiming } from '../../src/modbus/line-timing.js';

// DOMAIN.md "Bus and timing facts": FC03 request 8 bytes, response 5 + 2N bytes.
const fc03 = (n: number): [number, number] => [8, 5 + 2 * n];

describe('lineTiming', () => {
  it('uses 11-bit characters', () => {
    expect(lineTiming(9600).charMs).toBeCloseTo(11 / 9.6, 9);
    expect(lineTiming(115200).frameMs(10)).toBeCloseTo((10 * 11_000) / 115200, 9);
  });

  it('makes t3.5 three and a half characters up to 19200 baud and 1.75 ms above', () => {
    expect(lineTiming(9600).t35Ms).toBeCloseTo(3.5 * (11_000 / 9600), 9);
    expect(lineTiming(19200).t35Ms).toBeCloseTo(3.5 * (11_000 / 19200), 9);
    expect(lineTiming(38400).t35Ms).toBe(1.75);
    expect(lineTiming(115200).t35Ms).toBe(1.75);
  });

  it.each([
    [9600, 21.8],
    [19200, 43.6],
    [115200, 150],
  ])('gives DOMAIN.md\'s N=10 FC03 rate at %i baud: %f transactions/s', (baud, rate) => {
    const perSecond = 1000 / lineTiming(baud).transactionMs(...fc03(10));
    expect(perSecond).toBeCloseTo(rate, rate >= 100 ? 0 : 1);
  });

  it('adds the device turnaround to a transaction', () => {
    const t = lineTiming(9600);
    expect(t.transactionMs(8, 25, 20) - t.transactionMs(8, 25)).toBeCloseTo(20, 9);
  });

  it('counts bits per character from the serial format', () => {
    expect(bitsPerChar({ parity: 'none' })).toBe(11);
    expect(bitsPerChar({ parity: 'even' })).toBe(11);
    expect(bitsPerChar({ parity: 'none', stopBits: 1 })).toBe(10);
    expect(lineTiming(9600, { bitsPerChar: 10 }).charMs).toBeCloseTo(10 / 9.6, 9);
  });

  it('rejects a non-positive baud rate', () => {
    expect(() => lineTiming(0)).toThrow(/baud/);
  });
});
