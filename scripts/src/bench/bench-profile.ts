import { Profile } from '@edgefleet/device-profiles';

/** A generic device for the simulator benchmarks: 125-register reads allowed, no holes. */
export const BENCH_PROFILE = Profile.parse({
  version: 1,
  id: 'bench-device',
  vendor: 'EdgeFleet',
  model: 'bench',
  family: 'generic',
  source: 'benchmark fixture',
  points: [{ id: 'value', name: 'Value', table: 'holding', address: 0, type: 'uint16' }],
});
