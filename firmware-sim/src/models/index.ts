import type { Profile } from '@edgefleet/device-profiles';
import type { DeviceModel } from './device-model.js';
import { ElevatorModel } from './elevator-model.js';
import { GenericModel } from './generic-model.js';
import { ParkingModel } from './parking-model.js';
import { SignalCabinetModel } from './signal-cabinet-model.js';
import { WaterMeterModel } from './water-meter-model.js';

export type { DeviceModel, FaultParams, ModelValues } from './device-model.js';
export { FaultError } from './fault-book.js';
export { ModelProfileError } from './profile-points.js';
export { Prng } from './prng.js';
export { ElevatorModel, GenericModel, ParkingModel, SignalCabinetModel, WaterMeterModel };
export { TIMING_PLANS } from './timing-plans.js';

/** The behaviour model for a profile's family; `seed` makes its randomness repeatable. */
export function createModel(profile: Profile, seed: number): DeviceModel {
  switch (profile.family) {
    case 'elevator':
      return new ElevatorModel(profile, seed);
    case 'parking':
      return new ParkingModel(profile, seed);
    case 'water-meter':
      return new WaterMeterModel(profile, seed);
    case 'signal-cabinet':
      return new SignalCabinetModel(profile, seed);
    case 'generic':
      return new GenericModel(profile);
  }
}
