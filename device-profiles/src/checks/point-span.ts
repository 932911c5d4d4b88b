import { CodecError, pointSpan } from '../codec/index.js';
import type { Point } from '../schema/index.js';

/**
 * The codec's pointSpan, or undefined when the point is malformed (e.g. a bits point without
 * `count`): point-fields reports why, and the layout checks skip the point rather than guess.
 */
export function safePointSpan(point: Point): number | undefined {
  try {
    return pointSpan(point);
  } catch (err) {
    if (err instanceof CodecError) return undefined;
    throw err;
  }
}
