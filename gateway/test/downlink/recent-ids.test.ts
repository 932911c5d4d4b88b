import { describe, expect, it } from 'vitest';
import { configAfterApplied, configAfterRejected, isConfigHandled, RecentIds } from '../../src/downlink/index.js';

describe('RecentIds', () => {
  it('reports a repeat as not new and forgets the oldest beyond the limit', () => {
    const ids = new RecentIds(3);
    expect(['a', 'b', 'a', 'c', 'd'].map((id) => ids.add(id))).toEqual([true, true, false, true, true]);
    expect(ids.size).toBe(3);
    expect(ids.has('a')).toBe(false);
    expect(['b', 'c', 'd'].every((id) => ids.has(id))).toBe(true);
  });

  it('refuses a limit below 1', () => {
    expect(() => new RecentIds(0)).toThrow(RangeError);
  });
});

describe('config status transitions', () => {
  it.each([
    [{ version: 0 }, 1, false],
    [{ version: 3 }, 3, true],
    [{ version: 3 }, 4, false],
    [{ version: 3, rejected: { version: 4, reason: 'x', ts: 1 } }, 4, true],
    [{ version: 3, rejected: { version: 4, reason: 'x', ts: 1 } }, 2, false],
  ])('isConfigHandled(%o, %i) = %s', (status, version, expected) => {
    expect(isConfigHandled(status, version)).toBe(expected);
  });

  it('an applied version drops an older rejection but keeps a newer one', () => {
    const rejected4 = { version: 3, rejected: { version: 4, reason: 'bad', ts: 1 } };
    expect(configAfterApplied(rejected4, 5, 9)).toEqual({ version: 5, appliedAt: 9 });
    expect(configAfterApplied(rejected4, 2, 9)).toEqual({ version: 2, appliedAt: 9, rejected: rejected4.rejected });
  });

  it('a rejection keeps the running version and its time', () => {
    expect(configAfterRejected({ version: 3, appliedAt: 5 }, 4, 'bad', 9)).toEqual({ version: 3, appliedAt: 5, rejected: { version: 4, reason: 'bad', ts: 9 } });
  });
});
