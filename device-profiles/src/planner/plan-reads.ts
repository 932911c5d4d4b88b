import { CodecError, pointSpan, protocolAddress } from '../codec/index.js';
import type { Point, Table, TransportDefaults } from '../schema/index.js';
import { PlanError } from './errors.js';
import { resolveLimits, tableLimits, touchesHole } from './limits.js';
import type { PlanLimits, TableLimits } from './limits.js';

export interface ReadRequest {
  table: Table;
  /** 0-based protocol address of the first register or bit. */
  address: number;
  count: number;
  /** offset: from the request start; span: registers or bits, as pointSpan. */
  points: { id: string; offset: number; span: number }[];
}

interface Item {
  id: string;
  address: number;
  span: number;
}

/** Requests come out table by table in this order, whatever order the profile lists points in. */
const TABLE_ORDER: readonly Table[] = ['holding', 'input', 'coil', 'discrete'];

/**
 * Merges a device's points into the fewest reads, per table (EdgeX device-modbus'
 * aggregateReadRequests is the model). Points are taken in address order and a read grows while
 * it stays within the limit, the unused addresses it would span number at most maxGap, and that
 * gap holds no hole. Greedy growth is optimal for points that do not overlap.
 *
 * overrides: learned limits from a gateway (lower max, extra holes) win over the profile's.
 */
export function planReads(
  points: readonly Point[],
  transport: TransportDefaults,
  overrides?: Partial<PlanLimits>,
): ReadRequest[] {
  const limits = resolveLimits(transport, overrides);
  return TABLE_ORDER.flatMap((table) => {
    const inTable = points.filter((p) => p.table === table);
    if (inTable.length === 0) return [];
    const own = tableLimits(limits, table, transport.base);
    return planTable(table, inTable.map((p) => toItem(p, transport, own)), own);
  });
}

function toItem(point: Point, transport: TransportDefaults, limits: TableLimits): Item {
  let span: number;
  let address: number;
  try {
    span = pointSpan(point);
    address = protocolAddress(point, transport);
  } catch (err) {
    if (err instanceof CodecError) throw new PlanError('POINT_INVALID', err.detail, point.id, { cause: err });
    throw err;
  }
  if (address + span > 0x10000) {
    throw new PlanError('POINT_INVALID', `ends at protocol address ${address + span - 1}, past 65535`, point.id);
  }
  if (span > limits.maxItems) {
    throw new PlanError('POINT_TOO_WIDE', `spans ${span} in ${point.table} but one read returns at most ${limits.maxItems}`, point.id);
  }
  if (touchesHole(limits.holes, address, address + span)) {
    throw new PlanError('POINT_IN_HOLE', `protocol addresses ${address}..${address + span - 1} in ${point.table} overlap a declared hole`, point.id);
  }
  return { id: point.id, address, span };
}

function planTable(table: Table, items: Item[], limits: TableLimits): ReadRequest[] {
  // Ties broken by span and id so the plan does not depend on the profile's point order.
  const sorted = [...items].sort((a, b) => a.address - b.address || b.span - a.span || a.id.localeCompare(b.id));
  const requests: ReadRequest[] = [];
  let current: { start: number; end: number; members: Item[] } | undefined;
  for (const item of sorted) {
    const end = item.address + item.span;
    if (current !== undefined && fits(current, item, limits)) {
      current.end = Math.max(current.end, end);
      current.members.push(item);
      continue;
    }
    if (current !== undefined) requests.push(toRequest(table, current));
    current = { start: item.address, end, members: [item] };
  }
  if (current !== undefined) requests.push(toRequest(table, current));
  return requests;
}

/** Can `item` join the read [start, end) without breaking a limit? */
function fits(read: { start: number; end: number }, item: Item, limits: TableLimits): boolean {
  const gap = item.address - read.end; // negative when it shares addresses (bool bits of one register)
  const newEnd = Math.max(read.end, item.address + item.span);
  return gap <= limits.maxGap
    && newEnd - read.start <= limits.maxItems
    && (gap <= 0 || !touchesHole(limits.holes, read.end, item.address));
}

function toRequest(table: Table, read: { start: number; end: number; members: Item[] }): ReadRequest {
  return {
    table,
    address: read.start,
    count: read.end - read.start,
    points: read.members.map((m) => ({ id: m.id, offset: m.address - read.start, span: m.span })),
  };
}
