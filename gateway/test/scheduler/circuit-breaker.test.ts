import { describe, expect, it } from 'vitest';
import { initialBreaker, isProbeDue, probeDelayMs, recordAnswer, recordNoAnswer } from '../../src/scheduler/circuit-breaker.js';
import type { BreakerConfig, BreakerState } from '../../src/scheduler/circuit-breaker.js';

const config: BreakerConfig = { offlineAfter: 3, baseProbeMs: 1_000, maxProbeMs: 8_000, jitter: 0 };

type Step = 'fail' | 'answer';

/** Runs the steps one second apart; returns the final state and the transitions seen. */
function run(steps: Step[], cfg = config): { state: BreakerState; transitions: string[] } {
  let state = initialBreaker();
  const transitions: string[] = [];
  steps.forEach((step, i) => {
    const out = step === 'fail' ? recordNoAnswer(cfg, state, i * 1_000, 0.5) : recordAnswer(state);
    state = out.state;
    if (out.transition) transitions.push(`${i}:${out.transition}`);
  });
  return { state, transitions };
}

describe('circuit breaker', () => {
  it.each<{ name: string; steps: Step[]; status: 'closed' | 'open'; transitions: string[] }>([
    { name: 'stays closed below offlineAfter', steps: ['fail', 'fail'], status: 'closed', transitions: [] },
    { name: 'opens at offlineAfter consecutive failures', steps: ['fail', 'fail', 'fail'], status: 'open', transitions: ['2:opened'] },
    { name: 'an answer in between resets the count', steps: ['fail', 'fail', 'answer', 'fail', 'fail'], status: 'closed', transitions: [] },
    { name: 'further failures while open are no new transition', steps: ['fail', 'fail', 'fail', 'fail', 'fail'], status: 'open', transitions: ['2:opened'] },
    { name: 'an answer while open closes it', steps: ['fail', 'fail', 'fail', 'fail', 'answer'], status: 'closed', transitions: ['2:opened', '4:closed'] },
    { name: 'an answer while closed is no transition', steps: ['answer', 'answer'], status: 'closed', transitions: [] },
  ])('$name', ({ steps, status, transitions }) => {
    const out = run(steps);
    expect(out.state.status).toBe(status);
    expect(out.transitions).toEqual(transitions);
  });

  it('schedules probes 1 s doubling up to the maximum', () => {
    let { state } = run(['fail', 'fail', 'fail']);
    const delays: number[] = [];
    let now = 2_000;
    for (let i = 0; i < 6; i++) {
      if (state.status !== 'open') throw new Error('expected open');
      delays.push(state.nextProbeAt - now);
      now = state.nextProbeAt;
      state = recordNoAnswer(config, state, now, 0.5).state;
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it.each([
    { random: 0, factor: 0.9 },
    { random: 0.5, factor: 1 },
    { random: 1, factor: 1.1 },
  ])('jitter of 0.2 with random $random scales the delay by $factor', ({ random, factor }) => {
    expect(probeDelayMs({ ...config, jitter: 0.2 }, 1, random)).toBeCloseTo(2_000 * factor, 9);
  });

  it('allows a probe only once it is due, and never while closed', () => {
    const { state } = run(['fail', 'fail', 'fail']);
    if (state.status !== 'open') throw new Error('expected open');
    expect(isProbeDue(state, state.nextProbeAt - 1)).toBe(false);
    expect(isProbeDue(state, state.nextProbeAt)).toBe(true);
    expect(isProbeDue(initialBreaker(), 1e15)).toBe(false);
  });
});
