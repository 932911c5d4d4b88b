// The API's errors as the page sees them (no DOM here, so it is unit-tested in node): the
// status and the API's error code (docs/api.md), status 0 when no answer came at all.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An error as one sentence for the page: what kind of failure (from the HTTP status), then the
 * server's own message. A view shows this instead of going blank.
 */
export function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  const kind =
    err.status === 0
      ? 'The fleet server cannot be reached'
      : err.status === 403
        ? 'You are not allowed to see or do this'
        : err.status === 404
          ? 'Not found, or not one of your sites'
          : err.status >= 500
            ? 'The fleet server failed'
            : null;
  return kind === null ? err.message : `${kind} (${err.message}).`;
}
