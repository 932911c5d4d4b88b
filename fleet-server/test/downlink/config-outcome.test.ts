import { describe, expect, it } from 'vitest';
import { outcomeFor } from '../../src/downlink/config-states.js';

describe('outcomeFor', () => {
  it.each([
    ['applied when the gateway runs the version', 3, { version: 3, appliedAt: 10, rejected: null }, { state: 'applied', version: 3, appliedAt: 10 }],
    ['applied when it already runs a newer one', 3, { version: 4, appliedAt: 20, rejected: null }, { state: 'applied', version: 3, appliedAt: 20 }],
    ['pending while it runs an older one', 3, { version: 2, appliedAt: 5, rejected: null }, { state: 'pending', version: 3 }],
    ['rejected when its last refusal names the version', 3, { version: 2, appliedAt: 5, rejected: { version: 3, reason: 'bad', ts: 7 } }, { state: 'rejected', version: 3, reason: 'bad', ts: 7 }],
    ['pending when an older version was refused', 3, { version: 2, appliedAt: 5, rejected: { version: 1, reason: 'old', ts: 1 } }, { state: 'pending', version: 3 }],
  ])('%s', (_name, version, reported, expected) => {
    expect(outcomeFor(version, reported)).toEqual(expected);
  });
});
