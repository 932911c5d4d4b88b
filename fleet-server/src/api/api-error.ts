import type { FastifyInstance } from 'fastify';
import type * as z from 'zod';
import { StoreError } from '../store/store-error.js';
import type { StoreErrorCode } from '../store/store-error.js';

/**
 * Stable error codes of the HTTP API (docs/api.md). Clients branch on `code`, never on the
 * message; a code is never reused for another meaning.
 */
export const API_ERRORS = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_REQUEST: 400,
  CONFLICT: 409,
  /** If-Match named a desired-config version that is no longer the latest: read again, redo the change. */
  VERSION_MISMATCH: 412,
  GATEWAY_UNREACHABLE: 503,
  INTERNAL: 500,
  /** POST /enroll: no such enrollment token (or a malformed one). */
  ENROLL_TOKEN_INVALID: 401,
  /** POST /enroll: the token's time ran out before it was used; provision a new one. */
  ENROLL_TOKEN_EXPIRED: 410,
  /** POST /enroll: the token was already traded (single use); provision a new one. */
  ENROLL_TOKEN_USED: 410,
  /** Too many attempts from this address; retry after the Retry-After seconds. */
  RATE_LIMITED: 429,
} as const;
export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): number {
    return API_ERRORS[this.code];
  }
}

const STORE_TO_API: Record<StoreErrorCode, ApiErrorCode> = {
  STORE_INVALID: 'INVALID_REQUEST',
  STORE_NOT_FOUND: 'NOT_FOUND',
  STORE_CONFLICT: 'CONFLICT',
  STORE_VERSION_MISMATCH: 'VERSION_MISMATCH',
  ALERT_TRANSITION: 'CONFLICT',
  STORE_CORRUPT: 'INTERNAL',
  STORE_SCHEMA_NEWER: 'INTERNAL',
};

/** Validates `value` (body, query or params) or throws INVALID_REQUEST naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ field: [where, ...i.path.map(String)].join('.'), message: i.message }));
  const first = issues[0];
  throw new ApiError('INVALID_REQUEST', first ? `${first.field}: ${first.message}` : `invalid ${where}`, { issues });
}

/** One error shape for every failure: { error: { code, message, details? } }. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof ApiError) {
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } });
    }
    if (err instanceof StoreError) {
      const code = STORE_TO_API[err.code];
      if (code === 'INTERNAL') req.log.error({ err }, 'store failure');
      return reply.code(API_ERRORS[code]).send({ error: { code, message: code === 'INTERNAL' ? 'internal error' : err.message } });
    }
    const status = (err as { statusCode?: number }).statusCode;
    // fastify's own 4xx (bad JSON, body too large, unsupported media type) keep their status.
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ error: { code: 'INVALID_REQUEST', message: (err as Error).message } });
    }
    req.log.error({ err }, 'unhandled API error');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0] ?? ''}` } }));
}
