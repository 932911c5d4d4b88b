import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlarmEvent, Reading } from '../../src/index.js';
import { evaluateAlarms, initialAlarmState } from '../../src/index.js';
import { profileWith } from './fixture.js';

// speed > 2 for 2s; clears below 2 - 0.5 held for 1s.
const FOR_MS = 2_000;
const CLEAR_FOR_MS = 1_000;
const THRESHOLD = 2;
const HYSTERESIS = 0.5;
const profile = profileWith({ when: { point: 'speed', gt: THRESHOLD }, for: '2s', clearFor: '1s', hysteresis: HYSTERESIS });

/** One poll: time advances by dt, and speed is read good, read bad, or not read at all. */
const stepArb = fc.record({
  dt: fc.integer({ min: 0, max: 1_500 }),
  speed: fc.oneof(
    fc.double({ min: 0, max: 4, noNaN: true }).map((value) => ({ value, quality: 'good' as const })),
    fc.constantFrom({ value: 0, quality: 'comm-fail' as const }, { value: 3, quality: 'stale' as const }),
    fc.constant(undefined),
  ),
});

interface Evaluation {
  at: number;
  /** The speed reading in force at this evaluation (the last one given), if any. */
  current: Omit<Reading, 'ts'> | undefined;
  events: AlarmEvent[];
}

function simulate(steps: readonly { dt: number; speed: Omit<Reading, 'ts'> | undefined }[]): Evaluation[] {
  let state = initialAlarmState();
  let at = 0;
  let current: Omit<Reading, 'ts'> | undefined;
  return steps.map(({ dt, speed }) => {
    at += dt;
    if (speed !== undefined) current = speed;
    const readings: Record<string, Reading> = speed === undefined ? {} : { speed: { ...speed, ts: at } };
    const result = evaluateAlarms(profile, state, readings, at);
    state = result.state;
    return { at, current, events: result.events };
  });
}

/** Start time of the unbroken run of evaluations ending at `end` in which `holds` is true. */
function runStart(evals: readonly Evaluation[], end: number, holds: (e: Evaluation) => boolean): number {
  let i = end;
  while (i > 0 && holds(evals[i - 1]!)) i -= 1;
  return evals[i]!.at;
}

const good = (e: Evaluation): number | undefined => (e.current?.quality === 'good' ? Number(e.current.value) : undefined);

describe('evaluateAlarms properties (random polls of good, stale, comm-fail and missing data)', () => {
  const steps = fc.array(stepArb, { minLength: 1, maxLength: 60 });

  it('alternates raise and clear, starting with a raise', () => {
    fc.assert(fc.property(steps, (s) => {
      const kinds = simulate(s).flatMap((e) => e.events.map((ev) => ev.kind));
      kinds.forEach((kind, i) => expect(kind).toBe(i % 2 === 0 ? 'raise' : 'clear'));
    }));
  });

  it('raises only after speed was good and above the threshold for at least `for`', () => {
    fc.assert(fc.property(steps, (s) => {
      const evals = simulate(s);
      evals.forEach((e, i) => {
        if (!e.events.some((ev) => ev.kind === 'raise')) return;
        const above = (x: Evaluation): boolean => (good(x) ?? -Infinity) > THRESHOLD;
        expect(above(e)).toBe(true);
        expect(e.at - runStart(evals, i, above)).toBeGreaterThanOrEqual(FOR_MS);
      });
    }));
  });

  it('clears only on good data at or below threshold - hysteresis held for `clearFor`', () => {
    fc.assert(fc.property(steps, (s) => {
      const evals = simulate(s);
      evals.forEach((e, i) => {
        if (!e.events.some((ev) => ev.kind === 'clear')) return;
        const below = (x: Evaluation): boolean => (good(x) ?? Infinity) <= THRESHOLD - HYSTERESIS;
        expect(below(e)).toBe(true);
        expect(e.at - runStart(evals, i, below)).toBeGreaterThanOrEqual(CLEAR_FOR_MS);
      });
    }));
  });

  it('does not miss a raise: good data above the threshold for `for` while inactive raises', () => {
    fc.assert(fc.property(steps, (s) => {
      const evals = simulate(s);
      let active = false;
      evals.forEach((e, i) => {
        const above = (x: Evaluation): boolean => (good(x) ?? -Infinity) > THRESHOLD;
        // A clear needs a value below the band, so a run of values above it never spans a clear.
        if (!active && above(e) && e.at - runStart(evals, i, above) >= FOR_MS) {
          expect(e.events.map((ev) => ev.kind)).toEqual(['raise']);
        }
        for (const ev of e.events) active = ev.kind === 'raise';
      });
    }));
  });
});
