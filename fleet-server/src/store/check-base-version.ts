import { StoreError } from './store-error.js';

/**
 * Optimistic concurrency for versioned desired configs: a writer names the version its change was
 * made from (0: there was none), and loses if someone else stored a newer one meanwhile, instead
 * of silently overwriting it. Undefined: an unconditional write.
 */
export function checkBaseVersion(gatewayId: string, latest: number, baseVersion: number | undefined): void {
  if (baseVersion !== undefined && baseVersion !== latest) throw new StoreError('STORE_VERSION_MISMATCH', versionMismatchText(gatewayId, latest, baseVersion));
}

export function versionMismatchText(gatewayId: string, latest: number, baseVersion: number): string {
  const now = latest === 0 ? 'has no desired config yet' : `is at version ${latest}`;
  return `gateway ${gatewayId}'s desired config ${now}, not ${baseVersion}: read it again and redo the change`;
}
