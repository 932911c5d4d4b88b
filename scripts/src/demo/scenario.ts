import type { FaultParams, SimSite } from '@edgefleet/firmware-sim';

export interface ScenarioStep {
  /** After the scenario's start. */
  atMs: number;
  device: string;
  fault: string;
  action: 'inject' | 'clear';
  params?: FaultParams;
  why: string;
}

/**
 * The scripted afternoon at Riverside Towers. The entrapment is left unacknowledged so the
 * escalation to the technician shows; the demo itself taps the water meter's link (see demo.ts).
 * The water meter's step is a burst pipe: the sim's `leak` fault at 8 m3/h, caught by the demo
 * server's threshold rule (DEMO_LEAK_THRESHOLD) — the profile's own `leak` rule waits for 3 h of
 * unbroken flow, which no demo can sit through.
 */
export const SCENARIO: readonly ScenarioStep[] = [
  { atMs: 0, device: 'lift-a', fault: 'entrapment', action: 'inject', why: 'lift A stops between floors; the passenger presses the alarm button' },
  { atMs: 10_000, device: 'water-main', fault: 'leak', params: { rate: 8 }, action: 'inject', why: 'a pipe bursts in the plant room: 8 m3/h run to waste' },
  { atMs: 20_000, device: 'signal-5th-main', fault: 'door-open', action: 'inject', why: 'the signal cabinet at 5th & Main is opened' },
  { atMs: 40_000, device: 'signal-5th-main', fault: 'door-open', action: 'clear', why: 'the cabinet door is closed again' },
  { atMs: 50_000, device: 'water-main', fault: 'leak', action: 'clear', why: 'the caretaker closes the valve' },
  { atMs: 60_000, device: 'lift-a', fault: 'entrapment', action: 'clear', why: 'the technician levels lift A and frees the passenger' },
];

/** The device a texted alert is about, for the demo's scripted tap on the water meter's link. */
export const AUTO_ACK_DEVICE = 'water-main';

/** Runs the steps on their schedule; returns a cancel that stops the remaining ones. */
export function runScenario(site: SimSite, print: (line: string) => void): () => void {
  const timers = SCENARIO.map((step) => setTimeout(() => {
    print(`** ${step.why}: ${step.action === 'inject' ? 'injecting' : 'clearing'} fault "${step.fault}" on ${step.device}`);
    if (step.action === 'inject') site.injectFault(step.device, step.fault, step.params);
    else site.clearFault(step.device, step.fault);
  }, step.atMs));
  return () => timers.forEach(clearTimeout);
}

/**
 * The demo server's threshold on the water main: a flow no building's taps reach together, held
 * for 5 s. Normal draws are 0.3–2.5 m3/h each and rarely overlap three deep.
 */
export const DEMO_LEAK_THRESHOLD = {
  id: 'burst', point: 'flow-rate', profile: 'aquametrix-um50', gt: 6, forMs: 5_000, severity: 'major',
  message: 'Possible burst pipe: {value} m3/h flowing',
} as const;

/** The scenario may start once this device is polled (its first step is on it). */
export const SCENARIO_FIRST_DEVICE = 'lift-a';
