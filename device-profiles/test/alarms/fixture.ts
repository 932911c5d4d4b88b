import type { AlarmRule, ConditionContext, PointValue, Profile, ProfileInput, Reading } from '../../src/index.js';
import { AlarmRule as AlarmRuleSchema, Profile as ProfileSchema } from '../../src/index.js';

type RuleInput = Partial<Omit<AlarmRule, 'when'>> & { when: AlarmRule['when'] };

/** Points of a made-up lift + status board, one of each kind the evaluator treats differently. */
export const POINTS: ProfileInput['points'] = [
  { id: 'speed', name: 'Speed', table: 'input', address: 0, type: 'float32', unit: 'm/s' },
  { id: 'temp', name: 'Temperature', table: 'input', address: 2, type: 'float32', unit: '°C' },
  { id: 'floor', name: 'Floor', table: 'input', address: 4, type: 'int16', unit: 'floor' },
  { id: 'load', name: 'Load', table: 'input', address: 5, type: 'uint16', unit: '%' },
  {
    id: 'door', name: 'Door', table: 'input', address: 6, type: 'uint16',
    enum: { '0': 'closed', '1': 'opening', '2': 'open', '3': 'closing', '4': 'fault' },
  },
  { id: 'moving', name: 'Moving', table: 'discrete', address: 0, type: 'bool' },
  { id: 'status', name: 'Status word', table: 'input', address: 7, type: 'uint16' },
  {
    id: 'lamps', name: 'Lamp failures', table: 'discrete', address: 16, type: 'bits', count: 16,
    labels: { '0': 'red-1', '2': 'ped-2' },
  },
  { id: 'code', name: 'Fault code', table: 'input', address: 8, type: 'uint16' },
  { id: 'label', name: 'Label', table: 'input', address: 10, type: 'string', length: 4 },
  { id: 'constructor', name: 'A slug that is also an Object.prototype key', table: 'input', address: 20, type: 'uint16' },
];

/** A profile with the fixture points and the given rules (schema defaults applied). */
export function profileWith(...rules: RuleInput[]): Profile {
  return ProfileSchema.parse({
    version: 1, id: 'test-lift', vendor: 'Test', model: 'T-1', family: 'elevator', source: 'unit test fixture',
    points: POINTS,
    alarms: rules.map((rule, i) => ({ id: `rule-${i}`, name: `Rule ${i}`, severity: 'major', message: 'alarm', ...rule })),
  });
}

export function ruleOf(rule: RuleInput): AlarmRule {
  return AlarmRuleSchema.parse({ id: 'r', name: 'R', severity: 'minor', message: 'm', ...rule });
}

export const POINT_MAP = new Map(profileWith().points.map((p) => [p.id, p]));

/** A value written bare in a table means a good reading; `bad()` builds the other qualities. */
export type Input = PointValue | Reading;

export function bad(quality: 'stale' | 'comm-fail', value: PointValue = 0): Reading {
  return { value, quality, ts: Number.NaN };
}

function isReading(input: Input): input is Reading {
  return typeof input === 'object' && !Array.isArray(input);
}

/** Readings stamped with time `ts` (a Reading's own ts is replaced unless it is finite). */
export function readingsAt(ts: number, inputs: Readonly<Record<string, Input>>): Record<string, Reading> {
  return Object.fromEntries(
    Object.entries(inputs).map(([id, input]) => [
      id,
      isReading(input) ? { ...input, ts: Number.isFinite(input.ts) ? input.ts : ts } : { value: input, quality: 'good', ts },
    ]),
  );
}

export function contextOf(values: Readonly<Record<string, Input>>, extra: Partial<ConditionContext> = {}): ConditionContext {
  return { points: POINT_MAP, values: readingsAt(0, values), previous: {}, updated: new Set(Object.keys(values)), ...extra };
}
