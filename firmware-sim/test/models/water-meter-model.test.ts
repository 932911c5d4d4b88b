import { describe, expect, it } from 'vitest';
import { HOUR, MIDNIGHT, WATER, masterWrite, readPoint, run, simDevice } from './sim-fixture.js';

const MINUTE = 60_000;
const bit = (v: Record<string, unknown>, n: number): boolean | undefined => (v.status as boolean[])[n];

describe('water meter model', () => {
  it('flows with a day/night pattern: night mostly still, day busy; totals only grow', () => {
    const { device, now } = simDevice(WATER, 21, MIDNIGHT);
    let lastTotal = device.truth().values['total-volume'] as number;
    let lastLitres = device.truth().values['total-litres'] as number;
    let nightMinutes = 0;
    let stillNightMinutes = 0;
    let dayMinutes = 0;
    let flowingDayMinutes = 0;
    const volumeAt: number[] = [];
    run(device, now, 48 * HOUR, MINUTE, (v, t) => {
      const total = v['total-volume'] as number;
      expect(total).toBeGreaterThanOrEqual(lastTotal);
      expect(v['total-litres'] as number).toBeGreaterThanOrEqual(lastLitres);
      expect(v['flow-rate'] as number).toBeGreaterThanOrEqual(0);
      lastTotal = total;
      lastLitres = v['total-litres'] as number;
      const hour = ((t - MIDNIGHT) / HOUR) % 24;
      if (hour >= 1 && hour < 4) {
        nightMinutes++;
        if (v['flow-rate'] === 0) stillNightMinutes++;
      }
      if (hour >= 7 && hour < 21) {
        dayMinutes++;
        if ((v['flow-rate'] as number) > 0) flowingDayMinutes++;
      }
      if ((t - MIDNIGHT) % HOUR === 0) volumeAt.push(total);
    });
    expect(stillNightMinutes / nightMinutes).toBeGreaterThan(0.8);
    expect(flowingDayMinutes / dayMinutes).toBeGreaterThan(0.5);
    const used = (from: number, to: number): number => (volumeAt[to - 1] ?? 0) - (volumeAt[from - 1] ?? 0);
    expect(used(7, 10)).toBeGreaterThan(10 * used(1, 4));
  });

  it('leak: flow never stops, even at night', () => {
    const { device, now } = simDevice(WATER, 22, MIDNIGHT);
    device.injectFault('leak', { rate: 0.1 });
    run(device, now, 4 * HOUR, MINUTE, (v) => expect(v['flow-rate'] as number).toBeGreaterThanOrEqual(0.099));
  });

  it('reverse flow: negative flow, status bit, reverse total grows and forward total stands still', () => {
    const { device, now } = simDevice(WATER, 23);
    device.injectFault('reverse-flow', { rate: 1.2 });
    const before = device.truth().values;
    run(device, now, HOUR, MINUTE, (v) => {
      expect(v['flow-rate'] as number).toBeCloseTo(-1.2, 5);
      expect(v['flow-velocity'] as number).toBeLessThan(0);
      expect(bit(v, 1)).toBe(true);
    });
    const after = device.truth().values;
    expect((after['reverse-volume'] as number) - (before['reverse-volume'] as number)).toBeCloseTo(1.2, 2);
    expect(after['total-volume']).toBe(before['total-volume']);
  });

  it('freeze: water temperature falls to the parameter within minutes', () => {
    const { device, now } = simDevice(WATER, 24);
    expect(device.truth().values['water-temp'] as number).toBeGreaterThan(8);
    device.injectFault('freeze', { temp: 0.2 });
    run(device, now, 20 * MINUTE, MINUTE);
    expect(device.truth().values['water-temp'] as number).toBeCloseTo(0.2, 3);
  });

  it('empty pipe, tamper and low battery set their status bits', () => {
    const { device, now } = simDevice(WATER, 25);
    device.injectFault('empty-pipe');
    device.injectFault('tamper');
    device.injectFault('low-battery', { volts: 2.9 });
    run(device, now, 10 * MINUTE, MINUTE, (v) => {
      expect([bit(v, 0), bit(v, 2), bit(v, 3)]).toEqual([true, true, true]);
      expect(v['flow-rate']).toBe(0);
      expect(v['signal-quality']).toBe(0);
      expect(v['battery-voltage'] as number).toBeCloseTo(2.9, 5);
    });
    expect(device.truth().faults.sort()).toEqual(['empty-pipe', 'low-battery', 'tamper']);
    expect(() => device.injectFault('low-battery', { volts: 9 })).toThrow(/volts.*2\.5\.\.3\.6/);
  });

  it('counter-backwards and meter-replaced make the total go down; the swap brings a new serial', () => {
    const { device, now } = simDevice(WATER, 26);
    const t = run(device, now, HOUR, MINUTE);
    const before = device.truth().values;
    device.injectFault('counter-backwards', { by: 50 });
    expect(device.truth().values['total-volume'] as number).toBeCloseTo((before['total-volume'] as number) - 50, 3);
    expect(device.truth().values['serial-number']).toBe(before['serial-number']);
    device.injectFault('meter-replaced');
    const swapped = device.truth().values;
    expect(swapped['serial-number']).not.toBe(before['serial-number']);
    expect(swapped).toMatchObject({ 'total-volume': 0, 'reverse-volume': 0, 'operating-hours': 0 });
    // One-shot faults are events, not states.
    expect(device.truth().faults).toEqual([]);
    run(device, t, HOUR, MINUTE);
    expect(device.truth().values['total-volume'] as number).toBeGreaterThan(0);
  });

  it('applies a low-flow cut-off a master writes (FC16 of the float32)', () => {
    const { device, unit, now } = simDevice(WATER, 27);
    device.injectFault('leak', { rate: 0.2 });
    // 0.5 m³/h as float32 0x3F000000, low word first as this meter sends it.
    const pdu = Buffer.from([16, 0, 40, 0, 2, 4, 0, 0, 0x3f, 0]);
    expect(unit.handle(pdu).exception).toBeUndefined();
    expect(device.truth().values['low-flow-cutoff']).toBe(0.5);
    run(device, now + 2 * HOUR, 5 * MINUTE, MINUTE, (v) => {
      if ((v['flow-rate'] as number) !== 0) expect(v['flow-rate'] as number).toBeGreaterThanOrEqual(0.5);
    });
    masterWrite(unit, 'status', 0xffff); // the meter owns its status word: the write does not stick
    expect(readPoint(unit, 'status')).toEqual(new Array(16).fill(false));
  });
});
