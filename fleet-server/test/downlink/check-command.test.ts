import { describe, expect, it } from 'vitest';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { checkCommand } from '../../src/downlink/check-command.js';
import type { CommandSpec } from '../../src/downlink/check-command.js';

const signal = new ProfileRegistry(loadBuiltinProfiles()).get('semaforo-tsc-8');

describe('checkCommand against semaforo-tsc-8', () => {
  it.each<[string, CommandSpec]>([
    ['a known command without params', { command: 'set-flash', params: {} }],
    ['a command with params in range', { command: 'preempt-request', params: { phase: 2, duration: 30 } }],
    ['a write of a writable enum point by label', { params: {}, write: { point: 'mode', value: 'flash' } }],
    ['a write within the point min/max', { params: {}, write: { point: 'timing-plan', value: 8 } }],
  ])('accepts %s', (_name, spec) => {
    expect(checkCommand(spec, signal)).toBeUndefined();
  });

  it.each<[string, CommandSpec, string, RegExp]>([
    ['an unknown command', { command: 'self-destruct', params: {} }, 'command', /no command "self-destruct".*known: set-flash/],
    ['a missing parameter', { command: 'select-plan', params: {} }, 'params.plan', /required/],
    ['a parameter above its max', { command: 'preempt-request', params: { phase: 2, duration: 500 } }, 'params.duration', /500 is above 120/],
    ['a non-integer parameter', { command: 'select-plan', params: { plan: 1.5 } }, 'params.plan', /integer/],
    ['an undeclared parameter', { command: 'set-flash', params: { force: true } }, 'params.force', /unknown parameter/],
    ['a write of an unknown point', { params: {}, write: { point: 'warp', value: 1 } }, 'write.point', /no point "warp"/],
    ['a write of a read-only point', { params: {}, write: { point: 'active-plan', value: 1 } }, 'write.point', /read-only/],
    ['a write outside the point range (the codec check)', { params: {}, write: { point: 'timing-plan', value: 9 } }, 'write.value', /timing-plan/],
    ['a write of an unknown enum label', { params: {}, write: { point: 'mode', value: 'disco' } }, 'write.value', /disco/],
  ])('refuses %s naming the field', (_name, spec, field, message) => {
    const issue = checkCommand(spec, signal);
    expect(issue?.field).toBe(field);
    expect(issue?.message).toMatch(message);
  });
});
