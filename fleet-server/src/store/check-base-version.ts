import { StoreError } from './store-error.js';

/** STORE_VERSION_MISMATCH with the version that is the latest, so the caller need not read it again. */
export class VersionMismatchError extends StoreError {
  constructor(
    gatewayId: string,
    readonly latest: number,
    baseVersion: number,
  ) {
    super('STORE_VERSION_MISMATCH', versionMismatchText(gatewayId, latest, baseVersion));
  }
}

/**
 * Optimistic concurrency for versioned desired configs: a writer names the version its change was
 * made from (0: there was none), and loses if someone else stored a newer one meanwhile, instead
 * of silently overwriting it. Undefined: an unconditional write.
 */
export function checkBaseVersion(gatewayId: string, latest: number, baseVersion: number | undefined): void {
  if (baseVersion !== undefined && baseVersion !== latest) throw new VersionMismatchError(gatewayId, latest, baseVersion);
}

export function versionMismatchText(gatewayId: string, latest: number, baseVersion: number): string {
  const now = latest === 0 ? 'has no desired config yet' : `is at version ${latest}`;
  return `gateway ${gatewayId}'s desired config ${now}, not ${baseVersion}: read it again and redo the change`;
}
