import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { LatestValues } from '../../src/runtime/latest-values.js';
import { Schedules } from '../../src/runtime/schedules.js';

let schedules: Schedules | undefined;
afterEach(() => schedules?.stop());

describe('schedules (node-cron)', () => {
  it('runs a snapshot job with its devices and points, and outbox maintenance, on their cron expressions', async () => {
    const calls: string[] = [];
    let fired: () => void = () => undefined;
    const bothFired = new Promise<void>((resolve) => (fired = resolve));
    schedules = new Schedules(
      {
        snapshot: (id, devices, points) => {
          calls.push(`snapshot ${id} ${devices?.join(',')} ${points?.join(',')}`);
          if (calls.length >= 2) fired();
        },
        outboxMaintenance: () => {
          calls.push('maintenance');
          if (calls.length >= 2) fired();
        },
      },
      pino({ level: 'silent' }),
    );
    // Six-field expressions: every second, so the test waits about one second, not a day.
    schedules.apply([
      { id: 'meter-daily', cron: '* * * * * *', action: 'snapshot', devices: ['water-main'], points: ['total-volume'] },
      { id: 'upkeep', cron: '* * * * * *', action: 'outbox-maintenance' },
    ]);
    await bothFired;
    expect(calls).toEqual(expect.arrayContaining(['snapshot meter-daily water-main total-volume', 'maintenance']));
  });

  it('keeps a job scheduled after it throws', async () => {
    let runs = 0;
    let ranTwice: () => void = () => undefined;
    const twice = new Promise<void>((resolve) => (ranTwice = resolve));
    schedules = new Schedules(
      {
        snapshot: () => {
          runs += 1;
          if (runs === 2) ranTwice();
          throw new Error('boom');
        },
        outboxMaintenance: () => undefined,
      },
      pino({ level: 'silent' }),
    );
    schedules.apply([{ id: 's', cron: '* * * * * *', action: 'snapshot' }]);
    await twice;
    expect(runs).toBe(2);
  }, 10_000);
});

describe('latest values (for snapshots)', () => {
  it('keeps the last good value per point and leaves comm-fail out', () => {
    const latest = new LatestValues();
    latest.update([
      { device: 'water-main', point: 'total-volume', ts: 1, value: 10.5, quality: 'good' },
      { device: 'water-main', point: 'flow-rate', ts: 1, value: 0.2, quality: 'good' },
      { device: 'water-main', point: 'total-volume', ts: 2, value: 10.7, quality: 'good' },
      { device: 'lift-a', point: 'floor', ts: 2, value: null, quality: 'comm-fail' },
    ]);
    expect(latest.values('water-main')).toEqual({ 'total-volume': 10.7, 'flow-rate': 0.2 });
    expect(latest.values('water-main', ['total-volume'])).toEqual({ 'total-volume': 10.7 });
    expect(latest.values('lift-a')).toEqual({});
    expect(latest.devices().sort()).toEqual(['lift-a', 'water-main']);
  });
});
