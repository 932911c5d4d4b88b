import { describe, expect, it } from 'vitest';
import { parseSize } from '../../src/config/size.js';
import { longDurationMs } from '../../src/config/long-duration.js';

describe('parseSize', () => {
  it.each([
    ['512B', 512],
    ['1KB', 1024],
    ['64MB', 64 * 1024 * 1024],
    ['64mb', 64 * 1024 * 1024],
    ['2MiB', 2 * 1024 * 1024],
    ['1.5GB', 1.5 * 1024 ** 3],
    ['10 KB', 10 * 1024],
  ])('%s → %i bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['', '64', 'MB', '64TB', '-1MB', '64 megs'])('refuses %j', (text) => {
    expect(() => parseSize(text)).toThrow(/invalid size/);
  });
});

describe('longDurationMs', () => {
  it.each([
    ['7d', 7 * 86_400_000],
    ['0.5d', 43_200_000],
    ['12h', 12 * 3_600_000],
    ['90s', 90_000],
    ['250ms', 250],
  ])('%s → %i ms', (text, ms) => {
    expect(longDurationMs(text)).toBe(ms);
  });

  it('refuses weeks', () => {
    expect(() => longDurationMs('1w')).toThrow(/invalid duration/);
  });
});
