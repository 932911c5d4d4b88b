import { describe, expect, it } from 'vitest';
import { checkManagedConfig, loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { ManagedConfig } from '@edgefleet/protocol';

const registry = new ProfileRegistry(loadBuiltinProfiles());
const rtu = { id: 'rs485', kind: 'rtu', path: '/dev/ttyUSB0' };
const tcp = { id: 'lan', kind: 'tcp', host: '10.0.0.5' };
const config = (devices: unknown[], buses: unknown[] = [rtu, tcp]) => ManagedConfig.parse({ buses, devices });

describe('checkManagedConfig (the gateway rules, server side)', () => {
  it('accepts devices on known buses with known profiles and distinct units', () => {
    const c = config([
      { id: 'sig-1', bus: 'rs485', unit: 1, profile: 'semaforo-tsc-8' },
      { id: 'sig-2', bus: 'rs485', unit: 2, profile: 'semaforo-tsc-8' },
      { id: 'lift-1', bus: 'lan', unit: 1, profile: 'liftronic-lmi-200' },
    ]);
    expect(checkManagedConfig(c, registry)).toEqual([]);
  });

  it('names every broken reference with its path', () => {
    const c = config([
      { id: 'sig-1', bus: 'rs485', unit: 1, profile: 'semaforo-tsc-8' },
      { id: 'sig-2', bus: 'rs485', unit: 1, profile: 'semaforo-tsc-8' },
      { id: 'x', bus: 'nowhere', unit: 3, profile: 'no-such-profile' },
      { id: 'y', bus: 'rs485', unit: 0, profile: 'semaforo-tsc-8' },
    ]);
    const issues = checkManagedConfig(c, registry).map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual([
      expect.stringMatching(/^devices\.1\.unit: unit 1 on bus "rs485" is already device "sig-1"$/),
      expect.stringMatching(/^devices\.2\.bus: unknown bus "nowhere"/),
      expect.stringMatching(/^devices\.2\.profile: unknown profile "no-such-profile"/),
      expect.stringMatching(/^devices\.3\.unit: unit 0 on RTU bus "rs485"/),
    ]);
  });
});
