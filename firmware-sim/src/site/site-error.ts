export type SiteErrorCode = 'SITE_UNKNOWN_DEVICE' | 'SITE_UNKNOWN_FAULT' | 'SITE_BAD_FAULT_PARAMS' | 'SITE_UNKNOWN_PROFILE';

/** Errors from the site and its control interface; the code maps to an HTTP status there. */
export class SiteError extends Error {
  constructor(
    readonly code: SiteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SiteError';
  }
}
