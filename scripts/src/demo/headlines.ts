import type { Family } from '@edgefleet/device-profiles';

/** The few points per family the demo prints each round; everything else still feeds the alarm rules. */
export const HEADLINE_POINTS: Record<Family, readonly string[]> = {
  elevator: ['floor', 'direction', 'door-state', 'speed', 'mode'],
  parking: ['free-count', 'occupied-count', 'supply-voltage'],
  'water-meter': ['flow-rate', 'total-volume', 'water-temp'],
  'signal-cabinet': ['mode', 'active-plan', 'current-phase', 'phase-time-left'],
  generic: [],
};
