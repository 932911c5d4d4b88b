import { Profile } from '@edgefleet/device-profiles';
import type { ProfileInput } from '@edgefleet/device-profiles';

/**
 * A minimal profile for slave tests, numbered from 1 like many real devices: its hole at 101..110
 * is protocol addresses 100..109. Overrides replace top-level fields.
 */
export function testProfile(overrides: Partial<ProfileInput> = {}, transport: Partial<ProfileInput['transport'] & object> = {}): Profile {
  return Profile.parse({
    version: 1,
    id: 'test-device',
    vendor: 'Acme Controls',
    model: 'AC-100',
    family: 'generic',
    source: 'inline test profile',
    transport: {
      base: 1,
      maxRegistersPerRead: 100,
      maxBitsPerRead: 1000,
      holes: [{ table: 'holding', from: 101, to: 110 }, { table: 'coil', from: 501, to: 501 }],
      ...transport,
    },
    points: [{ id: 'level', name: 'Level', table: 'holding', address: 1, type: 'uint16' }],
    ...overrides,
  });
}
