import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinProfilesDir, checkProfile, conditionPoints, isKnownUnit, loadBuiltinProfiles, messageNames } from '../../src/index.js';
import { planReads, pointSpan, ProfileRegistry } from '../../src/index.js';
import type { Condition, Profile } from '../../src/index.js';

const profiles = loadBuiltinProfiles();

/** Every condition of a rule: `when` and, if set, `clear`. */
function ruleConditions(profile: Profile): Condition[] {
  return profile.alarms.flatMap((rule) => (rule.clear ? [rule.when, rule.clear] : [rule.when]));
}

// One case per profile (STYLE.md): a broken profile cannot hide behind an earlier one.
describe.each(profiles.map((profile) => [profile.id, profile] as const))('built-in profile %s', (_id, profile) => {
  it('passes every semantic check', () => {
    expect(checkProfile(profile)).toEqual([]);
  });

  it('has no two points on the same register or bit of a table', () => {
    const taken = new Set<string>();
    for (const point of profile.points) {
      const span = pointSpan(point);
      for (let i = 0; i < span; i++) {
        // A bool on a register owns one bit; everything else owns whole registers or bits.
        const cell = `${point.table}:${point.address + i}${point.type === 'bool' && point.bit !== undefined ? `.${point.bit}` : ''}`;
        const whole = `${point.table}:${point.address + i}`;
        expect(taken.has(cell) || taken.has(whole), `${point.id} overlaps at ${cell}`).toBe(false);
        taken.add(cell);
      }
    }
    for (const cell of taken) {
      const [register, bit] = cell.split('.');
      if (bit !== undefined) expect(taken.has(register ?? ''), `bool ${cell} shares a register with a value`).toBe(false);
    }
  });

  it('plans every read within the device and Modbus limits', () => {
    const requests = planReads(profile.points, profile.transport);
    const planned = new Set(requests.flatMap((request) => request.points.map((p) => p.id)));
    expect([...planned].sort()).toEqual(profile.points.map((p) => p.id).sort());
    for (const request of requests) {
      const bits = request.table === 'coil' || request.table === 'discrete';
      // Modbus App Protocol v1.1b3 §6.1-6.4: at most 2000 bits or 125 registers per read.
      const limit = bits ? Math.min(2000, profile.transport.maxBitsPerRead) : Math.min(125, profile.transport.maxRegistersPerRead);
      expect(request.count).toBeGreaterThan(0);
      expect(request.count).toBeLessThanOrEqual(limit);
      expect(request.address + request.count).toBeLessThanOrEqual(0x10000);
    }
  });

  it('names only existing points in alarm rules, messages and commands', () => {
    const ids = new Set(profile.points.map((p) => p.id));
    for (const id of ruleConditions(profile).flatMap(conditionPoints)) expect(ids, `rule names ${id}`).toContain(id);
    for (const rule of profile.alarms) {
      for (const name of messageNames(rule.message)) expect(ids, `${rule.id} message`).toContain(name);
    }
    for (const write of profile.commands.flatMap((c) => c.writes)) expect(ids).toContain(write.point);
  });

  it('uses only known units', () => {
    for (const point of profile.points) {
      if (point.unit !== undefined) expect(isKnownUnit(point.unit), `${point.id}: "${point.unit}"`).toBe(true);
    }
  });

  it('says where its register map came from and has alarm rules', () => {
    expect(profile.source.trim().length).toBeGreaterThan(10);
    expect(profile.alarms.length).toBeGreaterThan(0);
  });
});

describe('the built-in registry', () => {
  it('covers the four device families', () => {
    const families = new Set(profiles.map((p) => p.family));
    for (const family of ['elevator', 'parking', 'water-meter', 'signal-cabinet'] as const) expect(families).toContain(family);
  });

  it('has unique ids, each the name of its file', () => {
    const registry = new ProfileRegistry(profiles);
    expect(registry.ids()).toHaveLength(profiles.length);
    const files = readdirSync(builtinProfilesDir()).filter((name) => name.endsWith('.yaml'));
    expect(files.sort()).toEqual(registry.ids().map((id) => `${id}.yaml`));
  });
});
