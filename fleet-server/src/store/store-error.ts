/** STORE_VERSION_MISMATCH: a versioned write named a base version that is no longer the latest. */
export type StoreErrorCode =
  | 'STORE_INVALID' | 'STORE_NOT_FOUND' | 'STORE_CONFLICT' | 'STORE_VERSION_MISMATCH' | 'ALERT_TRANSITION' | 'STORE_CORRUPT' | 'STORE_SCHEMA_NEWER';

/** A refused store operation; `code` is stable so the HTTP API can map it (400/404/409). */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}
