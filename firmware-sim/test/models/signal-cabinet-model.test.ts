import { describe, expect, it } from 'vitest';
import { TIMING_PLANS } from '../../src/models/timing-plans.js';
import { CABINET, label, masterWrite, rawOf, readPoint, run, simDevice } from './sim-fixture.js';

const MINUTE = 60_000;

describe('signal cabinet model', () => {
  it('serves the phases of its plan in order; time left counts down; the cycle second wraps', () => {
    const { device, profile, now } = simDevice(CABINET, 31);
    const splits = TIMING_PLANS[1]!;
    const phases: number[] = [];
    let last = device.truth().values;
    run(device, now, 5 * MINUTE, 1000, (v) => {
      expect(label(profile, 'mode', v.mode)).toBe('auto');
      expect(v['cycle-length']).toBe(60);
      expect(v['cycle-count'] as number).toBeGreaterThanOrEqual(last['cycle-count'] as number);
      const phase = v['current-phase'] as number;
      if (phase === last['current-phase']) {
        expect(v['phase-time-left']).toBe((last['phase-time-left'] as number) - 1);
        expect(v['cycle-second']).toBe((last['cycle-second'] as number) + 1);
      } else {
        phases.push(phase);
        expect(phase).toBe(((last['current-phase'] as number) % splits.length) + 1);
        expect(v['phase-time-left']).toBe(splits[phase - 1]);
      }
      last = v;
    });
    expect(phases.length).toBeGreaterThanOrEqual(4 * 4);
    expect(device.truth().values['cycle-count'] as number).toBeGreaterThanOrEqual(4);
  });

  it('switches to a selected plan at the end of the running cycle', () => {
    const { device, unit, now } = simDevice(CABINET, 32);
    masterWrite(unit, 'timing-plan', 2);
    expect(device.truth().values).toMatchObject({ 'timing-plan': 2, 'active-plan': 1 });
    let switchedAt: unknown;
    run(device, now, 2 * MINUTE, 500, (v) => {
      if (switchedAt === undefined && v['active-plan'] === 2) switchedAt = { phase: v['current-phase'], second: v['cycle-second'] };
    });
    expect(switchedAt).toEqual({ phase: 1, second: 0 });
    expect(device.truth().values['cycle-length']).toBe(100);
    masterWrite(unit, 'timing-plan', 9); // no such plan: refused, reads back 2
    expect(readPoint(unit, 'timing-plan')).toBe(2);
  });

  it('obeys flash and auto written by a master; auto restarts the cycle at phase 1', () => {
    const { device, unit, profile, now } = simDevice(CABINET, 33);
    masterWrite(unit, 'mode', rawOf(profile, 'mode', 'flash'));
    expect(label(profile, 'mode', readPoint(unit, 'mode'))).toBe('flash');
    const t = run(device, now, MINUTE, 1000, (v) => expect(v).toMatchObject({ 'current-phase': 0, 'phase-time-left': 0 }));
    masterWrite(unit, 'mode', rawOf(profile, 'mode', 'auto'));
    expect(device.truth().values).toMatchObject({ mode: rawOf(profile, 'mode', 'auto'), 'current-phase': 1, 'cycle-second': 0 });
    run(device, t, 30_000, 1000);
    expect(device.truth().values['current-phase']).toBe(2);
    masterWrite(unit, 'mode', rawOf(profile, 'mode', 'pre-empt')); // only a request may pre-empt
    expect(label(profile, 'mode', readPoint(unit, 'mode'))).toBe('auto');
  });

  it('pre-emption: serves the requested phase for the requested time, then expires and resumes', () => {
    const { device, unit, profile, now } = simDevice(CABINET, 34);
    masterWrite(unit, 'preempt-phase', 3);
    masterWrite(unit, 'preempt-duration', 20);
    masterWrite(unit, 'preempt-request', 1);
    expect(device.truth().values).toMatchObject({ mode: rawOf(profile, 'mode', 'pre-empt'), 'current-phase': 3, 'phase-time-left': 20 });
    expect(label(profile, 'preempt-status', device.truth().values['preempt-status'])).toBe('active');
    const t = run(device, now, 19_000, 1000, (v) => expect(v['current-phase']).toBe(3));
    run(device, t, 2000, 1000);
    const v = device.truth().values;
    expect(label(profile, 'mode', v.mode)).toBe('auto');
    expect(label(profile, 'preempt-status', v['preempt-status'])).toBe('expired');
    expect(v).toMatchObject({ 'preempt-request': false, 'current-phase': 4 });
  });

  it('pre-emption release returns to auto at once; a request in flash is refused', () => {
    const { device, unit, profile, now } = simDevice(CABINET, 35);
    masterWrite(unit, 'preempt-phase', 2);
    masterWrite(unit, 'preempt-duration', 60);
    masterWrite(unit, 'preempt-request', 1);
    run(device, now, 5000, 1000);
    masterWrite(unit, 'preempt-request', 0);
    expect(label(profile, 'mode', device.truth().values.mode)).toBe('auto');
    expect(label(profile, 'preempt-status', device.truth().values['preempt-status'])).toBe('idle');

    masterWrite(unit, 'mode', rawOf(profile, 'mode', 'flash'));
    masterWrite(unit, 'preempt-request', 1);
    expect(label(profile, 'mode', device.truth().values.mode)).toBe('flash');
    expect(label(profile, 'preempt-status', device.truth().values['preempt-status'])).toBe('refused');
    expect(readPoint(unit, 'preempt-request')).toBe(false);
  });

  it('conflict fault forces flash and refuses auto until it clears', () => {
    const { device, unit, profile, now } = simDevice(CABINET, 36);
    device.injectFault('conflict-fault');
    expect(device.truth().values).toMatchObject({ 'conflict-fault': true, mode: rawOf(profile, 'mode', 'flash') });
    masterWrite(unit, 'mode', rawOf(profile, 'mode', 'auto'));
    const t = run(device, now, MINUTE, 1000, (v) => expect(label(profile, 'mode', v.mode)).toBe('flash'));
    device.clearFault('conflict-fault');
    // Latched: the monitor needs an explicit return to auto.
    run(device, t, 30_000, 1000, (v) => expect(label(profile, 'mode', v.mode)).toBe('flash'));
    masterWrite(unit, 'mode', rawOf(profile, 'mode', 'auto'));
    expect(label(profile, 'mode', device.truth().values.mode)).toBe('auto');
  });

  it('mains failure: on UPS, battery drains, signals go dark, and mains back restarts via flash', () => {
    const { device, profile, now } = simDevice(CABINET, 37);
    device.injectFault('mains-failure', { drain: 1 });
    let t = run(device, now, 3 * MINUTE, 1000);
    const v = device.truth().values;
    expect(v).toMatchObject({ 'mains-failure': true, 'on-ups': true });
    expect(v['ups-battery'] as number).toBeCloseTo(24.2, 1);
    t = run(device, t, 4 * MINUTE, 1000);
    expect(label(profile, 'mode', device.truth().values.mode)).toBe('dark');
    device.clearFault('mains-failure');
    expect(label(profile, 'mode', device.truth().values.mode)).toBe('flash');
    run(device, t, 11_000, 1000);
    expect(label(profile, 'mode', device.truth().values.mode)).toBe('auto');
  });

  it('door, lamp and detector faults set the bit of their group', () => {
    const { device } = simDevice(CABINET, 38);
    device.injectFault('door-open');
    device.injectFault('red-lamp-failure', { group: 5 });
    device.injectFault('lamp-failure', { group: 2 });
    device.injectFault('detector-fault', { detector: 12 });
    const v = device.truth().values;
    expect(v['door-open']).toBe(true);
    expect((v['red-lamp-failure'] as boolean[]).flatMap((b, i) => (b ? [i + 1] : []))).toEqual([5]);
    expect((v['lamp-failure'] as boolean[]).flatMap((b, i) => (b ? [i + 1] : []))).toEqual([2]);
    expect((v['detector-fault'] as boolean[]).flatMap((b, i) => (b ? [i + 1] : []))).toEqual([12]);
    expect(() => device.injectFault('detector-fault', { detector: 17 })).toThrow(/detector.*1\.\.16/);
  });

  it('reboot: counters to 0, startup flash, then auto from phase 1 with the stored plan', () => {
    const { device, unit, profile, now } = simDevice(CABINET, 39);
    masterWrite(unit, 'timing-plan', 3);
    const t = run(device, now, 10 * MINUTE, 1000);
    expect(device.truth().values['cycle-count'] as number).toBeGreaterThan(3);
    device.injectFault('reboot');
    expect(device.truth().values).toMatchObject({ 'cycle-count': 0, 'operating-seconds': 0, mode: rawOf(profile, 'mode', 'flash') });
    run(device, t, 11_000, 1000);
    expect(device.truth().values).toMatchObject({ mode: rawOf(profile, 'mode', 'auto'), 'active-plan': 3, 'current-phase': 1 });
  });
});
