import { decodePoint, formatValue, planReads } from '@edgefleet/device-profiles';
import type { Point, PointValue, Profile } from '@edgefleet/device-profiles';
import type { ModbusTransport } from '../../../../gateway/src/modbus/index.js';
import { ModbusError, isBusDown } from '../../../../gateway/src/modbus/index.js';
import { busFailure } from '../bus/open-transport.js';

export interface PointReading {
  point: string;
  name: string;
  value: PointValue | null;
  /** The value as people read it: "3.20 m/s", "open (2)". */
  text: string;
  unit: string | null;
  quality: 'good' | 'comm-fail';
  /** Outside the profile's plausible min..max (the value is still what the device said). */
  outOfRange?: boolean;
  /** The registers (or 0/1 bits) the value was decoded from. */
  raw?: number[];
  error?: string;
  ts: string;
}

/**
 * Reads `points` of one unit with the fewest requests (the planner the gateway uses), pausing the
 * profile's minRequestGap between them, and decodes each with the shared codec. A request that
 * fails marks its points comm-fail; a bus that is down fails the whole read.
 */
export async function readPoints(opts: {
  transport: ModbusTransport;
  profile: Profile;
  unit: number;
  points: readonly Point[];
  timeoutMs: number;
  gapMs: number;
}): Promise<{ readings: PointReading[]; failure?: ModbusError }> {
  const { transport, profile, unit, points } = opts;
  const byId = new Map(points.map((p) => [p.id, p]));
  const readings = new Map<string, PointReading>();
  let failure: ModbusError | undefined;
  for (const [index, request] of planReads(points, profile.transport).entries()) {
    if (index > 0 && opts.gapMs > 0) await new Promise((resolve) => setTimeout(resolve, opts.gapMs));
    const ts = new Date().toISOString();
    let words: number[] | undefined;
    let error: ModbusError | undefined;
    try {
      words = await transport.read(unit, request.table, request.address, request.count, opts.timeoutMs);
    } catch (err) {
      if (!(err instanceof ModbusError)) throw err;
      if (isBusDown(err)) throw busFailure(err, `unit ${unit}`);
      error = err;
      failure ??= err;
    }
    for (const member of request.points) {
      const point = byId.get(member.id);
      if (!point) continue;
      const raw = words?.slice(member.offset, member.offset + member.span);
      readings.set(point.id, raw ? decoded(point, raw, profile, ts) : failed(point, error, ts));
    }
  }
  // In the order asked for, not the planner's table order.
  return { readings: points.flatMap((p) => readings.get(p.id) ?? []), ...(failure ? { failure } : {}) };
}

function decoded(point: Point, raw: number[], profile: Profile, ts: string): PointReading {
  const value = decodePoint(point, raw, profile.transport);
  const outOfRange = typeof value === 'number' && ((point.min !== undefined && value < point.min) || (point.max !== undefined && value > point.max));
  return {
    point: point.id, name: point.name, value, text: formatValue(point, value), unit: point.unit ?? null, quality: 'good',
    ...(outOfRange ? { outOfRange } : {}), raw, ts,
  };
}

function failed(point: Point, error: ModbusError | undefined, ts: string): PointReading {
  const why = error ? `${error.code}${error.exceptionCode === undefined ? '' : ` ${error.exceptionCode}`}: ${error.message}` : 'not read';
  return { point: point.id, name: point.name, value: null, text: '-', unit: point.unit ?? null, quality: 'comm-fail', error: why, ts };
}
