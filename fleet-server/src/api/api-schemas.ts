import * as z from 'zod';
import { Id } from '@edgefleet/protocol';

/**
 * Input pieces shared by the /api/v1 route modules, so every route spells times, limits and ids
 * the same way (docs/api.md "Conventions").
 */

/** Path ids: the same lower-case slugs as the wire protocol and server.yaml. */
export const ApiId = Id;

/** The largest page any list route returns; a client pages with from/to. */
export const API_MAX_LIMIT = 10_000;

export const Limit = (fallback: number) =>
  z.coerce.number().int('must be an integer').min(1).max(API_MAX_LIMIT).default(fallback);

/**
 * A time in a query string: epoch milliseconds ("1700000000000") or an ISO 8601 date-time with
 * an offset ("2026-11-28T10:00:00Z"). A date-time without an offset is refused: it would be read
 * in the server's zone, which the caller cannot see.
 */
export const Instant = z.string().transform((text, ctx) => {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return ms;
  }
  ctx.addIssue({ code: 'custom', message: 'must be epoch milliseconds or an ISO 8601 date-time with offset, e.g. 2026-11-28T10:00:00Z' });
  return z.NEVER;
});

/** Adds an issue on `to` when both ends are given and from >= to. */
export function checkRange(range: { from?: number | undefined; to?: number | undefined }, ctx: z.RefinementCtx): void {
  if (range.from !== undefined && range.to !== undefined && range.from >= range.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be later than from' });
  }
}
