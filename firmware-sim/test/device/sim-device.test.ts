import { describe, expect, it } from 'vitest';
import { decodePoint } from '@edgefleet/device-profiles';
import type { PointValue, Profile } from '@edgefleet/device-profiles';
import { SimDevice } from '../../src/device/sim-device.js';
import type { DeviceModel, ModelValues } from '../../src/models/device-model.js';
import { FaultError } from '../../src/models/fault-book.js';
import { createModel } from '../../src/models/index.js';
import { SimUnit } from '../../src/unit/sim-unit.js';
import { CABINET, ELEVATOR, PARKING, WATER, builtinProfile, pointOf, readPoint, run, simDevice } from '../models/sim-fixture.js';

/** A model that reports fixed values and records writes: SimDevice on its own. */
class StubModel implements DeviceModel {
  readonly faultCatalog = { jam: 'a stub fault' };
  readonly writes: [string, PointValue][] = [];
  readonly active = new Set<string>();
  constructor(readonly family: DeviceModel['family'], public current: ModelValues) {}
  step(): void {}
  values(): ModelValues {
    return { ...this.current };
  }
  write(pointId: string, value: PointValue): void {
    this.writes.push([pointId, value]);
  }
  injectFault(name: string): void {
    this.active.add(name);
  }
  clearFault(name: string): void {
    this.active.delete(name);
  }
  activeFaults(): string[] {
    return [...this.active];
  }
  reboot(): void {
    this.current = { ...this.current, trips: 0 };
  }
}

describe('SimDevice', () => {
  it.each([ELEVATOR, PARKING, WATER, CABINET])('%s: the registers decode to the ground truth, point by point', (id) => {
    const { device, unit, now } = simDevice(id, 3);
    run(device, now, 10 * 60_000, 1000);
    const truth = device.truth().values;
    expect(Object.keys(truth).sort()).toEqual(unit.profile.points.map((p) => p.id).sort());
    for (const point of unit.profile.points) expect([point.id, readPoint(unit, point.id)]).toEqual([point.id, truth[point.id]]);
  });

  it.each([ELEVATOR, PARKING, WATER, CABINET])('%s: the same seed and step times replay the same device', (id) => {
    const replay = (seed: number): unknown => {
      const { device, now } = simDevice(id, seed);
      run(device, now, 30 * 60_000, 700);
      return device.truth().values;
    };
    expect(replay(8)).toEqual(replay(8));
    expect(replay(8)).not.toEqual(replay(9));
  });

  it('writes the identification signature registers', () => {
    for (const id of [ELEVATOR, PARKING, WATER]) {
      const { unit } = simDevice(id);
      const { base } = unit.profile.transport;
      for (const sig of unit.profile.identification.signature) {
        const table = sig.table === 'holding' ? 'holding' : 'input';
        expect(unit.bank.getWords(table, sig.address - base, 1)).toEqual([sig.value]);
      }
    }
  });

  it('encodes bool points into their bit of a shared register, keeping the other bits', () => {
    const profile = builtinProfile(ELEVATOR);
    const unit = new SimUnit({ unit: 1, profile });
    new SimDevice({ id: 'lift', unit, model: new StubModel('elevator', { moving: true, levelled: false, overspeed: true, 'alarm-button': true }) });
    // Status word at register 3 (base 1) → protocol address 2: bits 0, 2 and 8.
    expect(unit.bank.getWords('input', 2, 1)).toEqual([0b1_0000_0101]);
  });

  it('encodes values outside the profile min/max, as a faulty device would report them', () => {
    const profile = builtinProfile(ELEVATOR);
    const unit = new SimUnit({ unit: 1, profile });
    new SimDevice({ id: 'lift', unit, model: new StubModel('elevator', { speed: 4.5, load: 180 }) });
    expect(readPoint(unit, 'speed')).toBe(4.5);
    expect(readPoint(unit, 'load')).toBe(180);
  });

  it('word-swap flips the register order of 32/64-bit values only; the truth stays', () => {
    const profile = builtinProfile(ELEVATOR);
    const unit = new SimUnit({ unit: 1, profile });
    const device = new SimDevice({ id: 'lift', unit, model: new StubModel('elevator', { trips: 0x0001_0002, 'door-cycles': 5, floor: -2, speed: 1.5 }) });
    const trips = pointOf(profile, 'trips');
    // trips is uint32 with wordOrder little: low word first.
    expect(unit.bank.getWords('input', 8, 2)).toEqual([2, 1]);
    device.injectFault('word-swap');
    expect(unit.bank.getWords('input', 8, 2)).toEqual([1, 2]);
    expect(decodePoint(trips, unit.bank.getWords('input', 8, 2), profile.transport)).toBe(0x0002_0001);
    expect(readPoint(unit, 'floor')).toBe(-2);
    expect(readPoint(unit, 'door-cycles')).toBe(5 * 2 ** 48);
    expect(readPoint(unit, 'speed')).not.toBe(1.5);
    expect(device.truth()).toMatchObject({ values: { trips: 0x0001_0002, speed: 1.5 }, faults: ['word-swap'] });
    device.clearFault('word-swap');
    expect(readPoint(unit, 'trips')).toBe(0x0001_0002);
  });

  it('decodes a master write spanning two points and hands each to the model, enums as labels', () => {
    const profile = builtinProfile(CABINET);
    const unit = new SimUnit({ unit: 1, profile });
    const model = new StubModel('signal-cabinet', {});
    new SimDevice({ id: 'tsc', unit, model });
    // FC16 at holding 2: preempt-phase = 3, preempt-duration = 45.
    unit.handle(Buffer.from([16, 0, 2, 0, 2, 4, 0, 3, 0, 45]));
    unit.handle(Buffer.from([6, 0, 0, 0, 2])); // mode = 2 (flash)
    unit.handle(Buffer.from([5, 0, 0, 0xff, 0])); // preempt-request coil on
    expect(model.writes).toEqual([['preempt-phase', 3], ['preempt-duration', 45], ['mode', 'flash'], ['preempt-request', true]]);
  });

  it('lists family and device faults, routes them, and names the known ones for an unknown fault', () => {
    const profile = builtinProfile(ELEVATOR);
    const model = new StubModel('elevator', { trips: 7 });
    const device = new SimDevice({ id: 'lift', unit: new SimUnit({ unit: 1, profile }), model });
    expect(Object.keys(device.listFaults()).sort()).toEqual(['jam', 'reboot', 'word-swap']);
    device.injectFault('jam');
    expect(device.truth().faults).toEqual(['jam']);
    device.injectFault('reboot');
    expect(device.truth().values.trips).toBe(0);
    expect(() => device.clearFault('reboot')).not.toThrow();
    expect(() => device.injectFault('flood')).toThrow(FaultError);
    expect(() => device.injectFault('flood')).toThrow(/unknown fault "flood".*jam, word-swap, reboot/);
    device.clearFault('jam');
    expect(device.truth().faults).toEqual([]);
  });

  it('refuses a model of another family', () => {
    const profile = builtinProfile(PARKING);
    const unit = new SimUnit({ unit: 1, profile });
    expect(() => new SimDevice({ id: 'p', unit, model: new StubModel('elevator', {}) })).toThrow(/elevator model cannot drive profile "parksense-pgc-128"/);
  });

  it('a generic profile holds what a master writes, starting from zero', () => {
    const generic: Profile = { ...builtinProfile(PARKING), family: 'generic' };
    const unit = new SimUnit({ unit: 1, profile: generic });
    const device = new SimDevice({ id: 'g', unit, model: createModel(generic, 1) });
    expect(device.model.family).toBe('generic');
    expect(readPoint(unit, 'full-threshold')).toBe(0);
    unit.handle(Buffer.from([6, 0, 0, 0, 7]));
    device.step(1000);
    expect(readPoint(unit, 'full-threshold')).toBe(7);
    expect(device.truth().values['full-threshold']).toBe(7);
    expect(device.listFaults()).toEqual({ 'word-swap': expect.any(String), reboot: expect.any(String) });
  });

  it('stops passing writes to the model after close()', () => {
    const profile = builtinProfile(CABINET);
    const unit = new SimUnit({ unit: 1, profile });
    const model = new StubModel('signal-cabinet', {});
    const device = new SimDevice({ id: 'tsc', unit, model });
    device.close();
    unit.handle(Buffer.from([6, 0, 1, 0, 4]));
    expect(model.writes).toEqual([]);
  });
});
