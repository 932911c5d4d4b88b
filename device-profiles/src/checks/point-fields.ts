import { isKnownUnit } from '../schema/index.js';
import type { Point } from '../schema/index.js';
import type { CheckIssue } from './check-issue.js';
import { INTEGER_RANGE, isBitTable } from '../codec/index.js';
import { isNumericPoint } from './point-kind.js';

/** Fields that must, or must not, accompany a point's type and table. */
export function checkPointFields(point: Point, index: number): CheckIssue[] {
  const issues: CheckIssue[] = [];
  const report = (field: string, message: string): void => {
    issues.push({ path: ['points', index, field], message });
  };
  const onRegister = !isBitTable(point.table);

  if (!onRegister && point.type !== 'bool' && point.type !== 'bits') {
    report('type', `a ${point.table} holds single bits: type must be bool or bits, not ${point.type}`);
  }
  if (point.type === 'bool' && onRegister && point.bit === undefined) {
    report('bit', `a bool point on a ${point.table} register needs \`bit\` (0..15) to say which bit`);
  }
  if (point.bit !== undefined && !(point.type === 'bool' && onRegister)) {
    report('bit', '`bit` is only for bool points on holding/input registers');
  }
  if (point.type === 'bits' && point.count === undefined) report('count', 'a bits point needs `count` (number of bits)');
  if (point.count !== undefined && point.type !== 'bits') report('count', '`count` is only for bits points');
  if (point.type === 'string' && point.length === undefined) report('length', 'a string point needs `length` (registers)');
  if (point.length !== undefined && point.type !== 'string') report('length', '`length` is only for string points');
  // Modbus App Protocol v1.1b3 §4.3: discrete inputs and input registers are read-only.
  if (point.access === 'rw' && (point.table === 'input' || point.table === 'discrete')) {
    report('access', `the ${point.table} table is read-only in Modbus: access must be r`);
  }

  if (point.enum !== undefined) {
    const range = point.type in INTEGER_RANGE ? INTEGER_RANGE[point.type as keyof typeof INTEGER_RANGE] : undefined;
    if (range === undefined) {
      report('enum', `\`enum\` needs an integer type, not ${point.type}`);
    } else {
      // Keys are integer strings (the schema checks that): compare as bigint, exact for 64-bit.
      const outside = Object.keys(point.enum).filter((key) => BigInt(key) < range.min || BigInt(key) > range.max);
      if (outside.length > 0) report('enum', `enum keys ${outside.join(', ')} do not fit in ${point.type}`);
    }
  }
  if (point.labels !== undefined) {
    if (point.type !== 'bits') report('labels', '`labels` are only for bits points');
    else if (point.count !== undefined) {
      const beyond = Object.keys(point.labels).filter((key) => Number(key) >= (point.count ?? 0));
      if (beyond.length > 0) report('labels', `label bits ${beyond.join(', ')} are beyond count ${point.count}`);
    }
  }
  if (!isNumericPoint(point)) {
    for (const field of ['scale', 'offset', 'deadband', 'min', 'max'] as const) {
      if (point[field] !== undefined) report(field, `\`${field}\` is only for numeric points, not ${point.type}`);
    }
  }
  if (point.min !== undefined && point.max !== undefined && point.min > point.max) {
    report('min', `min ${point.min} is greater than max ${point.max}`);
  }
  if (point.unit !== undefined && !isKnownUnit(point.unit)) {
    report('unit', `unknown unit "${point.unit}" (see KNOWN_UNITS in device-profiles/src/schema/units.ts)`);
  }
  return issues;
}
