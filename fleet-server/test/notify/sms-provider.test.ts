import { describe, expect, it } from 'vitest';
import { isRetryableStatus, rejectInvalidMessage } from '../../src/notify/index.js';

describe('isRetryableStatus', () => {
  it.each([
    [500, true], [502, true], [503, true], [504, true], [429, true], [408, true],
    [400, false], [401, false], [403, false], [404, false], [422, false],
  ])('HTTP %i → %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });
});

describe('rejectInvalidMessage', () => {
  it.each([
    ['+4930123456', 'hi', undefined],
    ['+8613800138000', 'hi', undefined],
    ['4930123456', 'hi', /not an E\.164 number/],
    ['+04930123456', 'hi', /not an E\.164 number/],
    ['+49 30 123456', 'hi', /not an E\.164 number/],
    ['+1234567890123456', 'hi', /not an E\.164 number/],
    ['+4930123456', '  ', /empty SMS body/],
  ])('to %j body %j', (to, body, error) => {
    const result = rejectInvalidMessage({ to, body, idempotencyKey: 'k' });
    if (error === undefined) expect(result).toBeUndefined();
    else expect(result).toMatchObject({ ok: false, retryable: false, error: expect.stringMatching(error) });
  });
});
