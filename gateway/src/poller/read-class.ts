import { decodePoint, isBitTable } from '@edgefleet/device-profiles';
import type { Point, ReadRequest, TransportDefaults } from '@edgefleet/device-profiles';
import { readAdaptive } from './adaptive-read.js';
import type { ExecRead } from './adaptive-read.js';
import { emptyLearning, mergeLearning } from './learned-limits.js';
import type { Learning } from './learned-limits.js';
import type { Failure } from './modbus-failure.js';
import type { Observation } from './point-reporter.js';

export interface ClassReadResult {
  observations: Observation[];
  learning: Learning;
  /** Some read returned data. */
  answered: boolean;
  /** Some read was answered with an exception. */
  excepted: boolean;
  /** The device gave no answer at all: the rest of the plan was not sent. */
  noAnswer?: Failure;
  /** Largest read that worked, per kind (feeds the read-cap search). */
  largest: { registers: number; bits: number };
}

export interface ClassReadOptions {
  exec: ExecRead;
  transport: TransportDefaults;
  /** Split timed-out reads (the device answered before and has not failed since). */
  knownAlive: boolean;
  /** Split reads refused with exception 2/3 (false while the device refuses everything). */
  splitOnException: boolean;
  /** Epoch ms for comm-fail verdicts. */
  now(): number;
  onDecodeError(point: Point, err: unknown): void;
}

/**
 * Reads one poll class's planned requests in order, adaptively (readAdaptive), and turns the
 * replies into per-point observations. A device that gives no answer to a read (and has not
 * answered anything earlier in the cycle) is not asked the rest: every remaining point is
 * failed at once, so a dead device costs one timeout per cycle, not one per request.
 */
export async function readClass(plan: readonly ReadRequest[], points: readonly Point[], opts: ClassReadOptions): Promise<ClassReadResult> {
  const byId = new Map(points.map((p) => [p.id, p]));
  const result: ClassReadResult = { observations: [], learning: emptyLearning(), answered: false, excepted: false, largest: { registers: 0, bits: 0 } };
  for (const request of plan) {
    if (result.noAnswer !== undefined) {
      for (const ref of request.points) result.observations.push({ point: byId.get(ref.id)!, failedAt: opts.now() });
      continue;
    }
    const out = await readAdaptive(request, opts.exec, {
      onTimeout: result.answered || opts.knownAlive,
      onException: result.answered || opts.splitOnException,
    });
    for (const part of out.parts) {
      if ('words' in part) {
        const kind = isBitTable(part.request.table) ? 'bits' : 'registers';
        result.largest[kind] = Math.max(result.largest[kind], part.request.count);
      }
      for (const ref of part.request.points) {
        const point = byId.get(ref.id)!;
        if ('failure' in part) result.observations.push({ point, failedAt: opts.now() });
        else result.observations.push(decode(point, part.words.slice(ref.offset, ref.offset + ref.span), part.at, opts));
      }
    }
    result.answered ||= out.answered;
    result.excepted ||= out.excepted;
    mergeLearning(result.learning, out.learning);
    if (out.noAnswer !== undefined && !result.answered && !result.excepted) result.noAnswer = out.noAnswer;
  }
  return result;
}

function decode(point: Point, raw: number[], at: number, opts: ClassReadOptions): Observation {
  try {
    return { point, value: decodePoint(point, raw, opts.transport), at };
  } catch (err) {
    opts.onDecodeError(point, err);
    return { point, failedAt: at };
  }
}
