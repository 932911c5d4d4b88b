import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileRegistry, loadBuiltinProfiles } from '@edgefleet/device-profiles';
import { SimUnit, createPtyPair, startRtuServer } from '@edgefleet/firmware-sim';
import type { PtyPair, RtuSimServer } from '@edgefleet/firmware-sim';
import { findLineSettings } from '../src/cli/scan/auto-baud.js';

// A unit whose reply always comes after the probe's timeout (the sim holds it 150 ms; the probe
// waits 100 ms): a busy host or a slow adapter. A PTY carries no rate or parity, so the sim
// answers at the first settings tried (9600 even); the late reply must settle them there, not
// send --baud auto on to the next settings (where it would be just as late, for ever).
let pty: PtyPair;
let server: RtuSimServer;

beforeAll(async () => {
  pty = await createPtyPair();
  const unit = new SimUnit({ unit: 3, profile: new ProfileRegistry(loadBuiltinProfiles()).get('liftronic-lmi-200') });
  unit.faults.slowMs = 150;
  server = await startRtuServer({ path: pty.slavePath, baud: 9600, parity: 'even', units: (id) => (id === 3 ? unit : undefined) });
});

afterAll(async () => {
  await server?.close();
  await pty?.close();
});

describe('--baud auto with a unit that answers late', () => {
  it('takes a late valid reply as proof of the settings and re-probes that unit with a longer timeout', async () => {
    const found = await findLineSettings({ path: pty.masterPath, dataBits: 8, units: [1, 2, 3, 4], probeTimeoutMs: 100 });
    try {
      expect(found).toBeDefined();
      expect({ baud: found?.bus.settings.baud, parity: found?.bus.settings.parity, index: found?.index, tried: found?.tried })
        .toEqual({ baud: 9600, parity: 'even', index: 2, tried: [] });
      // The late reply was seen, and the re-probe (500 ms) got the unit's answer in time.
      expect([...(found?.bus.lateUnits ?? [])]).toContain(3);
      expect(server.stats.replies).toBeGreaterThanOrEqual(2);
    } finally {
      await found?.bus.close();
    }
  }, 60_000);
});
