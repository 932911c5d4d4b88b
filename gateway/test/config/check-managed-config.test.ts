import { describe, expect, it } from 'vitest';
import { ProfileRegistry, loadBuiltinProfiles } from '@edgefleet/device-profiles';
import { ManagedConfig } from '@edgefleet/protocol';
import type { ManagedConfig as ManagedConfigData } from '@edgefleet/protocol';
import { checkManagedConfig } from '../../src/config/check-managed.js';

const registry = new ProfileRegistry(loadBuiltinProfiles());

/** A pushed config (the downlink's input): parsed by the protocol schema, then cross-checked. */
function managed(input: unknown): ManagedConfigData {
  return ManagedConfig.parse(input);
}

const rtu = { id: 'rs485-1', kind: 'rtu', path: '/dev/ttyUSB0' };
const tcp = { id: 'plant', kind: 'tcp', host: '10.0.0.5' };
const lift = (id: string, unit: number, bus = 'rs485-1') => ({ id, bus, unit, profile: 'liftronic-lmi-200' });

describe('checkManagedConfig', () => {
  it('accepts a consistent config, including unit 0 and 255 on TCP', () => {
    const config = managed({ buses: [rtu, tcp], devices: [lift('a', 1), lift('b', 247), lift('c', 0, 'plant'), lift('d', 255, 'plant')] });
    expect(checkManagedConfig(config, registry)).toEqual([]);
  });

  it.each([
    ['duplicate bus id', { buses: [rtu, { ...tcp, id: 'rs485-1' }] }, ['buses', 1, 'id'], /duplicate bus id/],
    ['two buses on one serial port', { buses: [rtu, { ...rtu, id: 'rs485-2' }] }, ['buses', 1, 'path'], /already used by bus "rs485-1"/],
    ['unit 248 on RTU', { buses: [rtu], devices: [lift('a', 248)] }, ['devices', 0, 'unit'], /1\.\.247/],
    ['duplicate unit on a TCP bus', { buses: [tcp], devices: [lift('a', 3, 'plant'), lift('b', 3, 'plant')] }, ['devices', 1, 'unit'], /already device "a"/],
    ['duplicate schedule id', { schedules: [{ id: 's', cron: '* * * * *', action: 'outbox-maintenance' }, { id: 's', cron: '* * * * *', action: 'outbox-maintenance' }] }, ['schedules', 1, 'id'], /duplicate schedule id/],
    ['unknown schedule device', { buses: [rtu], devices: [lift('a', 1)], schedules: [{ id: 's', cron: '0 * * * *', action: 'snapshot', devices: ['zz'] }] }, ['schedules', 0, 'devices', 0], /unknown device "zz"/],
    ['devices on a maintenance schedule', { schedules: [{ id: 's', cron: '0 * * * *', action: 'outbox-maintenance', devices: [] }] }, ['schedules', 0, 'devices'], /only a snapshot/],
  ])('%s', (_name, input, path, message) => {
    const issues = checkManagedConfig(managed(input), registry);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toEqual(path);
    expect(issues[0]?.message).toMatch(message);
  });

  it('does not report a unit range issue for a device on an unknown bus, only the bus', () => {
    const issues = checkManagedConfig(managed({ devices: [lift('a', 0, 'ghost')] }), registry);
    expect(issues.map((i) => i.path)).toEqual([['devices', 0, 'bus']]);
  });
});
