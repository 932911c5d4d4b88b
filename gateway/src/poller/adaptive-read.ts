import { isBitTable } from '@edgefleet/device-profiles';
import type { ReadRequest } from '@edgefleet/device-profiles';
import { emptyLearning, mergeLearning } from './learned-limits.js';
import type { Learning } from './learned-limits.js';
import { failureOf, isNoAnswer, isSplittable } from './modbus-failure.js';
import type { Failure, SplitPolicy } from './modbus-failure.js';

/** One read as it finally went out: its words/bits and the time they arrived, or why it failed. */
export type PartResult =
  | { request: ReadRequest; words: number[]; at: number }
  | { request: ReadRequest; failure: Failure };

export interface AdaptiveOutcome {
  parts: PartResult[];
  learning: Learning;
  /** Some part came back with data. */
  answered: boolean;
  /** Some part was answered with an exception (the device is alive). */
  excepted: boolean;
  /** The device stopped answering (and no part answered): the cycle should stop here. */
  noAnswer?: Failure;
}

export type ExecRead = (request: ReadRequest) => Promise<{ words: number[]; at: number }>;

/**
 * Reads one planned request; when the device refuses it (exception 2/3, or a timeout once the
 * device is known to answer) it splits the request at the point boundary nearest the middle and
 * reads the halves, recursively. What the split proves is returned as learning:
 * - every point came back and a gap of unused addresses lay between the halves, exception 2: a
 *   hole in that gap;
 * - every point came back otherwise: the device's max read is the largest read that worked;
 * - a single point answering exception 2: a hole covering that point.
 * A timeout of the first half after a timeout of the whole means the device is gone, not the
 * read too long: it stops there, so a dead device costs at most two timeouts per request.
 */
export async function readAdaptive(request: ReadRequest, exec: ExecRead, policy: SplitPolicy): Promise<AdaptiveOutcome> {
  const out: AdaptiveOutcome = { parts: [], learning: emptyLearning(), answered: false, excepted: false };
  await attempt(request, exec, policy, out);
  return out;
}

/** whole: read in one; parts: every point read, through smaller reads; failed: some point missing. */
type Attempt = 'whole' | 'parts' | 'failed';

async function attempt(r: ReadRequest, exec: ExecRead, policy: SplitPolicy, out: AdaptiveOutcome, parentTimedOut = false): Promise<Attempt> {
  let failure: Failure;
  try {
    const { words, at } = await exec(r);
    out.parts.push({ request: r, words, at });
    out.answered = true;
    return 'whole';
  } catch (err) {
    failure = failureOf(err);
  }
  if (failure.code === 'MODBUS_EXCEPTION') out.excepted = true;
  const timedOut = failure.code === 'MODBUS_TIMEOUT';
  // A half that times out like its whole means the device went silent: stop splitting there.
  const halves = isSplittable(failure, { ...policy, onTimeout: policy.onTimeout && !(parentTimedOut && timedOut) }) ? splitRequest(r) : undefined;
  if (halves === undefined) {
    if (failure.code === 'MODBUS_EXCEPTION' && failure.exception === 2) {
      // Exception 2 for a read that cannot be split (one point, or bools sharing a register).
      out.learning.holes.push({ table: r.table, from: r.address, to: r.address + r.count - 1 });
    }
    out.parts.push({ request: r, failure });
    if (isNoAnswer(failure) && !out.answered) out.noAnswer = failure;
    return 'failed';
  }
  const [left, right] = halves;
  const holesBefore = out.learning.holes.length;
  const leftResult = await attempt(left, exec, policy, out, timedOut);
  if (leftResult === 'failed' && out.noAnswer !== undefined) {
    // The whole timed out and so did its first half: the device is gone, not the read too long.
    out.parts.push({ request: right, failure: out.noAnswer });
    return 'failed';
  }
  const rightResult = await attempt(right, exec, policy, out);
  if (leftResult === 'failed' || rightResult === 'failed') return 'failed';
  // Exception 2 already explained by a hole found inside: the size was never the problem.
  if (failure.exception === 2 && out.learning.holes.length > holesBefore) return 'parts';
  mergeLearning(out.learning, explainSplit(r, left, right, failure, largestRead(out, r)));
  return 'parts';
}

/** The largest read that worked inside the range of `r` (a size the device is known to take). */
function largestRead(out: AdaptiveOutcome, r: ReadRequest): number {
  let largest = 0;
  for (const part of out.parts) {
    const p = part.request;
    if ('words' in part && p.table === r.table && p.address >= r.address && p.address + p.count <= r.address + r.count) largest = Math.max(largest, p.count);
  }
  return largest;
}

/** Every point of a refused read came back through smaller reads: why was the whole refused? */
function explainSplit(whole: ReadRequest, left: ReadRequest, right: ReadRequest, failure: Failure, known: number): Learning {
  const gapFrom = left.address + left.count;
  if (failure.exception === 2 && right.address > gapFrom) {
    return { holes: [{ table: whole.table, from: gapFrom, to: right.address - 1 }] };
  }
  return isBitTable(whole.table) ? { maxBits: known, refusedBits: whole.count, holes: [] } : { maxRegisters: known, refusedRegisters: whole.count, holes: [] };
}

/**
 * Splits at a point boundary (never inside a point, never between bool points sharing one
 * register) as close to the middle of the address range as possible; undefined when it cannot.
 */
export function splitRequest(r: ReadRequest): [ReadRequest, ReadRequest] | undefined {
  const points = [...r.points].sort((a, b) => a.offset - b.offset || b.span - a.span);
  const middle = r.count / 2;
  let best: number | undefined;
  let reach = 0;
  for (let i = 1; i < points.length; i++) {
    reach = Math.max(reach, points[i - 1]!.offset + points[i - 1]!.span);
    const cut = points[i]!.offset;
    if (cut < reach) continue;
    if (best === undefined || Math.abs(cut - middle) < Math.abs(points[best]!.offset - middle)) best = i;
  }
  if (best === undefined) return undefined;
  return [subRequest(r, points.slice(0, best)), subRequest(r, points.slice(best))];
}

function subRequest(r: ReadRequest, points: ReadRequest['points']): ReadRequest {
  const first = points[0]!.offset;
  const end = Math.max(...points.map((p) => p.offset + p.span));
  return {
    table: r.table,
    address: r.address + first,
    count: end - first,
    points: points.map((p) => ({ id: p.id, offset: p.offset - first, span: p.span })),
  };
}
