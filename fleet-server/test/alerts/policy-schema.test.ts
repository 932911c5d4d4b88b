import { describe, expect, it } from 'vitest';
import { parseEscalationPolicy } from '../../src/alerts/index.js';

const good = {
  steps: [{ contacts: ['c1'], afterMs: 0 }, { role: 'manager', afterMs: 300_000 }],
  repeatMs: 600_000,
  quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Berlin' },
};

describe('parseEscalationPolicy', () => {
  it('accepts a full policy unchanged', () => {
    expect(parseEscalationPolicy(good)).toEqual(good);
  });

  it.each([
    ['a negative delay', { steps: [{ contacts: ['c1'], afterMs: -1 }] }, /steps\.0\.afterMs/],
    ['a step with neither contacts nor role', { steps: [{ afterMs: 0 }] }, /steps\.0: a step needs contacts or a role/],
    ['steps out of order', { steps: [{ role: 'a', afterMs: 5 }, { role: 'b', afterMs: 1 }] }, /steps: steps must be ordered/],
    ['a zero repeat', { steps: [], repeatMs: 0 }, /repeatMs/],
    ['a bad clock', { ...good, quietHours: { ...good.quietHours, start: '7:00' } }, /quietHours\.start: expected HH:MM/],
    ['an unknown zone', { ...good, quietHours: { ...good.quietHours, timeZone: 'Mars/Olympus' } }, /quietHours\.timeZone: expected an IANA/],
    ['an unknown field', { ...good, repeat: 5 }, /site s1 policy: .*repeat/],
  ])('rejects %s, naming the field', (_name, input, message) => {
    expect(() => parseEscalationPolicy(input, 'site s1 policy')).toThrow(message);
  });
});
