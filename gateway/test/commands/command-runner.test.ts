import { beforeEach, describe, expect, it } from 'vitest';
import { durationMs, loadBuiltinProfiles, ProfileRegistry, type Profile } from '@edgefleet/device-profiles';
import { createModel, SimDevice, SimUnit } from '@edgefleet/firmware-sim';
import type { CommandRequest } from '@edgefleet/protocol';
import { CommandRunner } from '../../src/commands/command-runner.js';
import { SimUnitTransport } from '../support/sim-unit-transport.js';

const registry = new ProfileRegistry(loadBuiltinProfiles());
const cabinetProfile: Profile = registry.get('semaforo-tsc-8');

let clock: number;
let unit: SimUnit;
let device: SimDevice;
let transport: SimUnitTransport;
let runner: CommandRunner;

beforeEach(() => {
  clock = Date.UTC(2026, 10, 28, 12, 0, 0);
  unit = new SimUnit({ unit: 5, profile: cabinetProfile });
  device = new SimDevice({ id: 'cab-1', unit, model: createModel(cabinetProfile, 11) });
  device.step(clock);
  transport = new SimUnitTransport('tcp-a', (id) => (id === 5 ? unit : undefined));
  runner = new CommandRunner({
    target: (id) => (id === 'cab-1' ? { unit: 5, profile: cabinetProfile, timeoutMs: 500 } : undefined),
    run: (_id, fn) => fn(transport),
    now: () => clock,
    // Waiting for confirmation advances the simulated cabinet instead of the wall clock.
    sleep: async (ms) => {
      clock += ms;
      device.step(clock);
    },
    parseDuration: durationMs,
  });
});

const cmd = (fields: Partial<CommandRequest>): CommandRequest => ({
  v: 1,
  id: 'c1',
  device: 'cab-1',
  issuedAt: clock - 1_000,
  expiresAt: clock + 60_000,
  params: {},
  ...fields,
});

describe('command runner against the simulated signal cabinet', () => {
  it('sets flash mode and confirms it from the mode register', async () => {
    const result = await runner.execute(cmd({ command: 'set-flash' }));
    expect(result).toEqual({ status: 'ok', readBack: { mode: 2 } });
    expect(device.truth().values.mode).toBe(2);
  });

  it('runs pre-emption with its parameters and confirms mode = pre-empt, then releases', async () => {
    const request = await runner.execute(cmd({ command: 'preempt-request', params: { phase: 2, duration: 30 } }));
    expect(request.status).toBe('ok');
    expect(request.readBack).toEqual({ mode: 4 });
    expect(device.truth().values['preempt-phase']).toBe(2);
    const release = await runner.execute(cmd({ id: 'c2', command: 'preempt-release' }));
    expect(release.status).toBe('ok');
  });

  it('selects a timing plan in range and refuses one out of range without writing', async () => {
    expect((await runner.execute(cmd({ command: 'select-plan', params: { plan: 3 } }))).status).toBe('ok');
    const writesBefore = transport.calls.filter((c) => c.fc === 6 || c.fc === 16).length;
    const refused = await runner.execute(cmd({ command: 'select-plan', params: { plan: 9 } }));
    expect(refused).toEqual({ status: 'rejected', reason: 'select-plan: parameter "plan" = 9 is above 8' });
    expect(transport.calls.filter((c) => c.fc === 6 || c.fc === 16).length).toBe(writesBefore);
  });

  it.each([
    ['an unknown command', { command: 'self-destruct' }, /no command "self-destruct"/],
    ['an unknown parameter', { command: 'set-flash', params: { now: true } }, /unknown parameter\(s\) now/],
    ['a missing parameter', { command: 'select-plan' }, /parameter "plan" is required/],
    ['a parameter of the wrong type', { command: 'select-plan', params: { plan: 'three' } }, /must be a number/],
    ['a write to a read-only point', { write: { point: 'cabinet-temp', value: 20 } }, /read-only/],
    ['a write to an unknown point', { write: { point: 'nope', value: 1 } }, /no point "nope"/],
    ['an unknown enum label', { write: { point: 'mode', value: 'disco' } }, /disco/],
    ['an unknown device', { device: 'cab-9', command: 'set-flash' }, /no device "cab-9"/],
  ] as const)('rejects %s with a reason', async (_name, fields, reason) => {
    const result = await runner.execute(cmd(fields as Partial<CommandRequest>));
    expect(result.status).toBe('rejected');
    expect(result.reason).toMatch(reason);
  });

  it('refuses an expired command without touching the bus', async () => {
    const result = await runner.execute(cmd({ command: 'set-flash', issuedAt: clock - 20_000, expiresAt: clock - 1 }));
    expect(result.status).toBe('expired');
    expect(transport.calls).toHaveLength(0);
  });

  it('reports not-confirmed when the cabinet refuses (auto while the conflict monitor is latched)', async () => {
    device.injectFault('conflict-fault', {});
    device.step(clock);
    const result = await runner.execute(cmd({ command: 'set-auto' }));
    expect(result.status).toBe('not-confirmed');
    expect(result.reason).toMatch(/mode is flash \(2\), expected auto/);
  });

  it('reports a device that does not answer as failed with the error code', async () => {
    unit.faults.noReply = true;
    const result = await runner.execute(cmd({ command: 'set-flash' }));
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^MODBUS_TIMEOUT/);
  });
});
