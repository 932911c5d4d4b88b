// GET /gateways' per-gateway summary (api/gateway-summary.ts): devices and devices down as the
// overview counts them, the outbox and offline devices of the newest health report, config sync.
import { describe, expect, it } from 'vitest';
import { gatewaySummaries } from '../../src/api/gateway-summary.js';
import type { Device, Gateway } from '../../src/store/store-types.js';
import { healthReport, UNUSED_SECRET_HASH } from './read-model-fixtures.js';

const gateway = (id: string, status: Gateway['status']): Gateway => ({ id, site: 'north', name: id, secretHash: UNUSED_SECRET_HASH, status, lastSeenAt: null, configVersion: null });
const device = (gw: string, id: string): Device => ({ gateway: gw, device: id, profile: 'liftronic-lmi-200', name: id, location: null });

describe('gateway summaries', () => {
  it('counts devices and those down (offline in the newest report, or all of an offline gateway), with the outbox and config sync', () => {
    const report = healthReport('gw-a', 5_000, [
      { id: 'lift-3', bus: 'rs485', state: 'offline', polls: 10, failures: 10 },
      { id: 'lift-1', bus: 'rs485', state: 'online', polls: 10, failures: 0 },
      { id: 'lift-2', bus: 'rs485', state: 'offline', polls: 10, failures: 10 },
    ]);
    report.outbox = { events: { depth: 2 }, telemetry: { depth: 40, dropped: 3 }, bytes: 9_000, maxBytes: 100_000 };
    const reported = (version: number) => ({ version, appliedAt: null, rejected: null });
    const summaries = gatewaySummaries({
      gateways: [gateway('gw-a', 'online'), gateway('gw-b', 'offline'), gateway('gw-c', 'unknown'), { ...gateway('gw-new', 'unknown'), configVersion: 2 }],
      devices: [device('gw-a', 'lift-1'), device('gw-a', 'lift-2'), device('gw-a', 'meter-1'), device('gw-b', 'lift-9'), device('gw-z', 'elsewhere')],
      reports: [{ health: report, receivedAt: 5_100 }],
      configs: [
        { gateway: 'gw-a', desiredVersion: 4, reported: reported(3) },
        { gateway: 'gw-b', desiredVersion: 2, reported: reported(2) },
        { gateway: 'gw-c', desiredVersion: null, reported: reported(0) },
        { gateway: 'gw-z', desiredVersion: 1, reported: reported(1) },
      ],
    });
    expect(Object.fromEntries(summaries)).toEqual({
      // meter-1 is not in the report: unknown, not down. lift-3 is offline in the report but not
      // registered: listed offline, not counted down.
      'gw-a': {
        devices: 3, devicesDown: 1,
        health: { at: 5_100, outboxDepth: 42, outboxBytes: 9_000, outboxMaxBytes: 100_000, dropped: 3, devicesOffline: ['lift-2', 'lift-3'] },
        config: { desiredVersion: 4, reportedVersion: 3, inSync: false },
      },
      'gw-b': { devices: 1, devicesDown: 1, health: null, config: { desiredVersion: 2, reportedVersion: 2, inSync: true } },
      'gw-c': { devices: 0, devicesDown: 0, health: null, config: { desiredVersion: null, reportedVersion: 0, inSync: null } },
      // Created after the config read: what its gateway row says it runs, no desired config known.
      'gw-new': { devices: 0, devicesDown: 0, health: null, config: { desiredVersion: null, reportedVersion: 2, inSync: null } },
    });
  });
});
