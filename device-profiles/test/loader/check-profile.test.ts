import { describe, expect, it } from 'vitest';
import { Profile, checkProfile, formatPath } from '../../src/index.js';
import type { ProfileInput } from '../../src/index.js';

type PointInput = ProfileInput['points'][number];

/** A sound profile touching every feature the checks look at; each case breaks one thing. */
function base(): ProfileInput {
  return {
    version: 1, id: 'checks', vendor: 'Test', model: 'C-1', family: 'signal-cabinet', source: 'check tests',
    transport: { maxRegistersPerRead: 32, writeFunctions: [5, 6, 15, 16], holes: [{ table: 'holding', from: 100, to: 109 }] },
    identification: { signature: [{ table: 'holding', address: 0, value: 4242 }] },
    points: [
      { id: 'model-code', name: 'Model code', table: 'holding', address: 0, type: 'uint16' },
      { id: 'mode', name: 'Mode', table: 'holding', address: 1, type: 'uint16', access: 'rw', enum: { '0': 'auto', '1': 'flash' } },
      { id: 'plan', name: 'Plan', table: 'holding', address: 2, type: 'uint16', access: 'rw', min: 1, max: 8 },
      { id: 'door', name: 'Door open', table: 'holding', address: 3, type: 'bool', bit: 0 },
      { id: 'power', name: 'Mains lost', table: 'holding', address: 3, type: 'bool', bit: 1 },
      { id: 'temp', name: 'Temperature', table: 'input', address: 0, type: 'float32', unit: '°C', deadband: 0.5 },
      { id: 'lamps', name: 'Lamp failures', table: 'input', address: 2, type: 'bits', count: 20, labels: { '0': 'red 1' } },
      { id: 'flash', name: 'Flash request', table: 'coil', address: 0, type: 'bool', access: 'rw' },
      { id: 'bays', name: 'Bays', table: 'discrete', address: 0, type: 'bits', count: 64 },
      { id: 'serial', name: 'Serial', table: 'holding', address: 20, type: 'string', length: 8 },
    ],
    alarms: [
      { id: 'hot', name: 'Hot', severity: 'minor', when: { point: 'temp', gt: 60 }, hysteresis: 2, message: 'Cabinet at {temp}' },
      {
        id: 'dark', name: 'Dark', severity: 'critical', message: 'Mode {mode}',
        when: { all: [{ point: 'mode', in: ['auto', 1] }, { point: 'lamps', bit: 19, eq: true }, { not: { point: 'door', eq: false } }] },
        clear: { any: [{ point: 'bays', agg: 'share', lt: 0.5 }, { point: 'lamps', changed: true }] },
      },
    ],
    commands: [
      { id: 'set-flash', name: 'Flash', writes: [{ point: 'mode', value: 'flash' }, { point: 'flash', value: true }], confirm: { point: 'mode', timeout: '5s' } },
      { id: 'plan', name: 'Plan', params: [{ name: 'plan', type: 'int', min: 1, max: 8 }], writes: [{ point: 'plan', param: 'plan' }] },
      { id: 'mode', name: 'Mode', params: [{ name: 'to', type: 'enum', values: ['auto', 'flash'] }], writes: [{ point: 'mode', param: 'to' }] },
    ],
  };
}

const point = (index: number, patch: Partial<PointInput>) => (p: ProfileInput) => {
  p.points[index] = { ...p.points[index]!, ...patch };
};
const addPoint = (extra: PointInput) => (p: ProfileInput) => {
  p.points.push(extra);
};

/** name → [how to break the base profile, expected issue path, text the message must contain] */
const CASES: [string, (p: ProfileInput) => void, string, string][] = [
  ['bool on a register without bit', point(3, { bit: undefined }), 'points[3].bit', 'needs `bit`'],
  ['bit on a non-bool point', point(0, { bit: 2 }), 'points[0].bit', 'only for bool points'],
  ['bits without count', point(6, { count: undefined, labels: undefined }), 'points[6].count', 'needs `count`'],
  ['string without length', point(9, { length: undefined }), 'points[9].length', 'needs `length`'],
  ['enum on a float', point(5, { enum: { '0': 'x' } }), 'points[5].enum', 'integer type'],
  ['enum key outside the type', point(1, { enum: { '70000': 'x' } }), 'points[1].enum', 'do not fit in uint16'],
  ['labels on a number', point(0, { labels: { '0': 'x' } }), 'points[0].labels', 'only for bits'],
  ['label beyond count', point(6, { labels: { '20': 'x' } }), 'points[6].labels', 'beyond count 20'],
  ['scale on a bool', point(7, { scale: 2 }), 'points[7].scale', 'only for numeric'],
  ['min above max', point(2, { min: 9 }), 'points[2].min', 'greater than max'],
  ['unknown unit', point(5, { unit: 'degC' }), 'points[5].unit', 'unknown unit "degC"'],
  ['a number in a bit table', point(7, { type: 'int32' }), 'points[7].type', 'must be bool or bits'],
  ['rw on an input register', point(5, { access: 'rw' }), 'points[5].access', 'read-only'],
  ['duplicate point id', point(2, { id: 'mode' }), 'points[2].id', 'duplicate point id "mode"'],
  ['same bit twice in a register', point(4, { bit: 0 }), 'points[4].address', 'power overlaps door'],
  ['bool bit inside a word point', point(3, { address: 0 }), 'points[3].address', 'door overlaps model-code'],
  ['a bits point covers its last register whole', addPoint({ id: 'x', name: 'X', table: 'input', address: 3, type: 'uint16' }), 'points[10].address', 'x overlaps lamps'],
  ['32-bit value over the next register', point(0, { type: 'uint32' }), 'points[1].address', 'mode overlaps model-code'],
  ['point in a declared hole', point(9, { address: 105 }), 'points[9].address', 'declared hole 100..109'],
  ['point larger than one read', point(9, { length: 40 }), 'points[9].length', 'more than transport.maxRegistersPerRead (32)'],
  ['address below the base', (p) => { p.transport = { ...p.transport, base: 1 }; }, 'points[0].address', 'below the numbering base 1'],
  ['past the last Modbus address', point(5, { address: 65535 }), 'points[5].address', 'past the last Modbus address'],
  ['gt on a bool', (p) => { p.alarms![0]!.when = { point: 'door', gt: 0 }; }, 'alarms[0].when.gt', 'needs a numeric value'],
  ['rule on an unknown point', (p) => { p.alarms![0]!.when = { point: 'tmp', gt: 0 }; }, 'alarms[0].when.point', 'unknown point "tmp"'],
  ['bit on a non-bits point', (p) => { p.alarms![0]!.when = { point: 'mode', bit: 1, eq: true }; }, 'alarms[0].when.bit', 'applies to bits points'],
  ['bit beyond count', (p) => { p.alarms![0]!.when = { point: 'lamps', bit: 20, eq: true }; }, 'alarms[0].when.bit', 'no bit 20'],
  ['share compared with more than 1', (p) => { p.alarms![0]!.when = { point: 'bays', agg: 'share', gt: 10 }; }, 'alarms[0].when.gt', 'fraction 0..1'],
  ['enum label typo inside in', (p) => { p.alarms![0]!.when = { point: 'mode', in: ['auto', 'flsh'] }; }, 'alarms[0].when.in[1]', '"flsh" is not a label'],
  ['a number compared with a bool', (p) => { p.alarms![0]!.when = { point: 'door', eq: 1 }; }, 'alarms[0].when.eq', 'use true or false'],
  ['a whole bits point compared', (p) => { p.alarms![0]!.when = { point: 'lamps', eq: true }; }, 'alarms[0].when.eq', 'pick one bit'],
  ['unknown point in the clear condition', (p) => { p.alarms![1]!.clear = { point: 'nope', changed: true }; }, 'alarms[1].clear.point', 'unknown point'],
  ['message names a missing point', (p) => { p.alarms![0]!.message = 'Hot: {temperature}'; }, 'alarms[0].message', '{temperature}'],
  ['hysteresis without a threshold', (p) => { p.alarms![0]!.when = { point: 'door', eq: true }; }, 'alarms[0].hysteresis', 'needs a gt'],
  ['hysteresis beside an explicit clear', (p) => { p.alarms![0]!.clear = { point: 'temp', lt: 50 }; }, 'alarms[0].hysteresis', 'no effect'],
  ['duplicate alarm id', (p) => { p.alarms![1]!.id = 'hot'; }, 'alarms[1].id', 'duplicate alarm id'],
  ['write to a read-only point', (p) => { p.commands![0]!.writes = [{ point: 'temp', value: 1 }]; }, 'commands[0].writes[0].point', 'read-only'],
  ['write to an unknown point', (p) => { p.commands![0]!.writes = [{ point: 'nope', value: 1 }]; }, 'commands[0].writes[0].point', 'unknown point'],
  ['coil write without FC5/15', (p) => { p.transport = { ...p.transport, writeFunctions: [6, 16] }; }, 'commands[0].writes[1].point', 'neither 5 nor 15'],
  ['32-bit write without FC16', (p) => {
    p.transport = { ...p.transport, writeFunctions: [5, 6] };
    p.points[2] = { ...p.points[2]!, type: 'uint32', address: 30 };
  }, 'commands[1].writes[0].point', 'needs function 16'],
  ['literal above the point max', (p) => { p.commands![0]!.writes = [{ point: 'plan', value: 9 }]; }, 'commands[0].writes[0].value', 'above plan\'s max 8'],
  ['literal label typo', (p) => { p.commands![0]!.writes = [{ point: 'mode', value: 'flsh' }]; }, 'commands[0].writes[0].value', 'not a label'],
  ['undeclared parameter', (p) => { p.commands![1]!.writes = [{ point: 'plan', param: 'plna' }]; }, 'commands[1].writes[0].param', 'unknown parameter "plna"'],
  ['parameter wider than the point', (p) => { p.commands![1]!.params = [{ name: 'plan', type: 'int', min: 0, max: 8 }]; }, 'commands[1].writes[0].param', 'below plan\'s min 1'],
  ['enum parameter with a foreign label', (p) => { p.commands![2]!.params = [{ name: 'to', type: 'enum', values: ['auto', 'dark'] }]; }, 'commands[2].writes[0].param', 'dark are not labels'],
  ['unused parameter', (p) => { p.commands![0]!.params = [{ name: 'unused', type: 'bool' }]; }, 'commands[0].params[0].name', 'not written'],
  ['confirm timeout not a duration', (p) => { p.commands![0]!.confirm = { point: 'mode', timeout: 'soon' }; }, 'commands[0].confirm.timeout', 'duration'],
  ['confirm equals an unknown enum label', (p) => { p.commands![0]!.confirm = { point: 'mode', equals: 'flashing' }; }, 'commands[0].confirm.equals', 'flashing'],
  ['hole that ends before it starts', (p) => { p.transport = { ...p.transport, holes: [{ table: 'input', from: 50, to: 40 }] }; }, 'transport.holes[0].to', 'before it starts'],
  ['signature in a hole', (p) => { p.identification = { signature: [{ table: 'holding', address: 101, value: 1 }] }; }, 'identification.signature[0].address', 'declared hole'],
  ['signature bit value above 1', (p) => { p.identification = { signature: [{ table: 'coil', address: 0, value: 2 }] }; }, 'identification.signature[0].value', '0 or 1'],
];

function issuesOf(mutate: (p: ProfileInput) => void): { path: string; message: string }[] {
  const input = base();
  mutate(input);
  return checkProfile(Profile.parse(input)).map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

describe('checkProfile', () => {
  it('finds nothing wrong with a sound profile', () => {
    expect(issuesOf(() => undefined)).toEqual([]);
  });

  it.each(CASES)('%s', (_name, mutate, path, text) => {
    const issues = issuesOf(mutate);
    expect(issues).toContainEqual({ path, message: expect.stringContaining(text) as string });
  });

  it('allows two bool points on different bits of one register', () => {
    expect(issuesOf(point(4, { bit: 15 }))).toEqual([]);
  });
});
