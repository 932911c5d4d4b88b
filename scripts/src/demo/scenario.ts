import type { SimSite } from '@edgefleet/firmware-sim';

export interface ScenarioStep {
  /** After the scenario's start. */
  atMs: number;
  device: string;
  fault: string;
  action: 'inject' | 'clear';
  why: string;
}

/**
 * The scripted afternoon at Riverside Towers. The entrapment is left unacknowledged so the
 * escalation to the technician shows; the demo itself taps the water meter's link (see demo.ts).
 * The water meter's step is a tamper alarm, not the `leak` fault: the profile's leak rule waits
 * for 3 h of unbroken flow, which no demo can sit through.
 */
export const SCENARIO: readonly ScenarioStep[] = [
  { atMs: 0, device: 'lift-a', fault: 'entrapment', action: 'inject', why: 'lift A stops between floors; the passenger presses the alarm button' },
  { atMs: 10_000, device: 'water-main', fault: 'tamper', action: 'inject', why: 'someone opens the water meter in the plant room (tamper switch)' },
  { atMs: 20_000, device: 'signal-5th-main', fault: 'door-open', action: 'inject', why: 'the signal cabinet at 5th & Main is opened' },
  { atMs: 40_000, device: 'signal-5th-main', fault: 'door-open', action: 'clear', why: 'the cabinet door is closed again' },
  { atMs: 60_000, device: 'lift-a', fault: 'entrapment', action: 'clear', why: 'the technician levels lift A and frees the passenger' },
];

/** The device a texted alert is about, for the demo's scripted tap on the water meter's link. */
export const AUTO_ACK_DEVICE = 'water-main';

/** Runs the steps on their schedule; returns a cancel that stops the remaining ones. */
export function runScenario(site: SimSite, print: (line: string) => void): () => void {
  const timers = SCENARIO.map((step) => setTimeout(() => {
    print(`** ${step.why}: ${step.action === 'inject' ? 'injecting' : 'clearing'} fault "${step.fault}" on ${step.device}`);
    if (step.action === 'inject') site.injectFault(step.device, step.fault);
    else site.clearFault(step.device, step.fault);
  }, step.atMs));
  return () => timers.forEach(clearTimeout);
}

/** The scenario may start once this device is polled (its first step is on it). */
export const SCENARIO_FIRST_DEVICE = 'lift-a';
