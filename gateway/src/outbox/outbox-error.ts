/** Why the outbox refused: STYLE.md "errors carry codes; predicates decide policy". */
export type OutboxErrorCode =
  /** PRAGMA quick_check failed or the file is not a database: the gateway must not write into it. */
  | 'OUTBOX_CORRUPT'
  /** The file was written by a newer gateway (schema version above what this build knows). */
  | 'OUTBOX_SCHEMA_TOO_NEW'
  /** A write transaction failed (disk full, I/O error); the rows were not stored. */
  | 'OUTBOX_WRITE_FAILED'
  /** Used after close(). */
  | 'OUTBOX_CLOSED';

export class OutboxError extends Error {
  override readonly name = 'OutboxError';

  constructor(
    readonly code: OutboxErrorCode,
    message: string,
    readonly context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isOutboxError = (err: unknown, code?: OutboxErrorCode): err is OutboxError =>
  err instanceof OutboxError && (code === undefined || err.code === code);
