import { isBitTable } from '../codec/index.js';
import type { Point, Profile, Table } from '../schema/index.js';
import type { CheckIssue } from './check-issue.js';
import { safePointSpan } from './point-span.js';

/** Modbus App Protocol v1.1b3 §4.4: PDU addresses are 0..65535 in every table. */
const ADDRESS_SPACE = 0x10000;

/** Where a point sits on the wire: [start, end) in protocol addresses, and which bits if bool-in-register. */
interface Footprint {
  index: number;
  point: Point;
  start: number;
  end: number;
  /** Set for bool points on registers: they share their register with other bits. */
  bit?: number;
}

/**
 * Address layout: each point within 0..65535 on the wire, within one read of the device, out
 * of declared holes, and not overlapping another point of the same table.
 */
export function checkPointLayout(profile: Profile): CheckIssue[] {
  const { transport } = profile;
  const issues: CheckIssue[] = [];
  const footprints: Footprint[] = [];

  profile.points.forEach((point, index) => {
    const span = safePointSpan(point);
    if (span === undefined) return;
    const start = point.address - transport.base;
    if (start < 0) {
      issues.push({ path: ['points', index, 'address'], message: `address ${point.address} is below the numbering base ${transport.base}` });
      return;
    }
    if (start + span > ADDRESS_SPACE) {
      issues.push({ path: ['points', index, 'address'], message: `${point.id} ends past the last Modbus address (spans ${span} from ${start} on the wire)` });
    }
    const bitTable = isBitTable(point.table);
    const limit = bitTable ? transport.maxBitsPerRead : transport.maxRegistersPerRead;
    if (span > limit) {
      const field = point.type === 'string' ? 'length' : point.type === 'bits' ? 'count' : 'type';
      const what = bitTable ? 'bits' : 'registers';
      const setting = bitTable ? 'maxBitsPerRead' : 'maxRegistersPerRead';
      issues.push({ path: ['points', index, field], message: `${point.id} needs a read of ${span} ${what}, more than transport.${setting} (${limit})` });
    }
    const bit = point.type === 'bool' && !bitTable ? point.bit : undefined;
    footprints.push({ index, point, start, end: start + span, ...(bit === undefined ? {} : { bit }) });
  });

  issues.push(...findHoleOverlaps(profile, footprints), ...findOverlaps(footprints));
  return issues;
}

function findHoleOverlaps(profile: Profile, footprints: readonly Footprint[]): CheckIssue[] {
  const { base, holes } = profile.transport;
  const issues: CheckIssue[] = [];
  for (const fp of footprints) {
    const hit = holes.findIndex((hole) => hole.table === fp.point.table && fp.start <= hole.to - base && hole.from - base < fp.end);
    const hole = holes[hit];
    if (hole) {
      const message = `${fp.point.id} lies in the declared hole ${hole.from}..${hole.to} of the ${hole.table} table (transport.holes[${hit}])`;
      issues.push({ path: ['points', fp.index, 'address'], message });
    }
  }
  return issues;
}

/** Reports each point that overlaps an earlier one of the same table (by file order). */
function findOverlaps(footprints: readonly Footprint[]): CheckIssue[] {
  const byTable = new Map<Table, Footprint[]>();
  for (const fp of footprints) {
    const group = byTable.get(fp.point.table) ?? [];
    group.push(fp);
    byTable.set(fp.point.table, group);
  }
  const issues: CheckIssue[] = [];
  for (const group of byTable.values()) {
    for (const [i, later] of group.entries()) {
      const earlier = group.slice(0, i).find((other) => overlaps(other, later));
      if (earlier) {
        const message = `${later.point.id} overlaps ${earlier.point.id} in the ${later.point.table} table (${describe(later)} vs ${describe(earlier)})`;
        issues.push({ path: ['points', later.index, 'address'], message });
      }
    }
  }
  return issues;
}

function overlaps(a: Footprint, b: Footprint): boolean {
  if (a.start >= b.end || b.start >= a.end) return false;
  // Two single-bit bool points may share one register when their bits differ.
  if (a.bit !== undefined && b.bit !== undefined) return a.bit === b.bit;
  return true;
}

function describe(fp: Footprint): string {
  const range = fp.end - fp.start === 1 ? `${fp.point.address}` : `${fp.point.address}..${fp.point.address + fp.end - fp.start - 1}`;
  return fp.bit === undefined ? range : `${range} bit ${fp.bit}`;
}
