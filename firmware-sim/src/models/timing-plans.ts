/**
 * The TSC-8's built-in timing plans: seconds of each phase (green plus its amber and all-red
 * intergreen), phases served in order 1..n. The cycle length is the sum.
 */
export const TIMING_PLANS: Readonly<Record<number, readonly number[]>> = {
  1: [24, 12, 18, 6], // off-peak, 60 s
  2: [40, 20, 30, 10], // morning peak, 100 s
  3: [36, 24, 30, 10], // evening peak, 100 s
  4: [30, 20], // night, two phases, 50 s
  5: [30, 15, 25, 10], // weekend, 80 s
  6: [45, 25, 35, 15], // stadium event, 120 s
  7: [20, 10, 15, 5, 10], // five-phase with a pedestrian stage, 60 s
  8: [30, 15, 25, 10, 30, 15, 25, 10], // eight-phase dual intersection, 160 s
};

export const PLAN_NUMBERS = Object.keys(TIMING_PLANS).map(Number);

export function planSplits(plan: number): readonly number[] {
  const splits = TIMING_PLANS[plan];
  if (splits === undefined) throw new RangeError(`no timing plan ${plan} (plans ${PLAN_NUMBERS.join(', ')})`);
  return splits;
}

export function cycleLength(plan: number): number {
  return planSplits(plan).reduce((a, b) => a + b, 0);
}
