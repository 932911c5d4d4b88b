import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';

/**
 * `If-Match: "<version>"` on a desired-config change: the version the client read and changed
 * (`"0"`: there was none). The server refuses with 412 VERSION_MISMATCH if another change landed
 * in between, instead of silently overwriting it. Absent: an unconditional change.
 */
export function ifMatchVersion(req: FastifyRequest): number | undefined {
  const header = req.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^\s*"(\d{1,9})"\s*$/.exec(header);
  if (!match) {
    const message = `must be the desired config's version in quotes, e.g. "3" ("0": none yet), got ${JSON.stringify(header)}`;
    throw new ApiError('INVALID_REQUEST', `headers.if-match: ${message}`, { issues: [{ field: 'headers.if-match', message }] });
  }
  return Number(match[1]);
}
