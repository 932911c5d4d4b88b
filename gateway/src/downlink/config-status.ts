import type { ConfigStatus } from '../uplink/gateway-status.js';

/**
 * True when `version` is the running config or the last one refused: the retained config
 * topic delivers the same message after every (re)subscribe, and each version is handled once.
 */
export function isConfigHandled(status: ConfigStatus, version: number): boolean {
  return (status.version > 0 && version === status.version) || version === status.rejected?.version;
}

/** The status after `version` was applied; an older rejection no longer describes the gateway. */
export function configAfterApplied(status: ConfigStatus, version: number, ts: number): ConfigStatus {
  const rejected = status.rejected !== undefined && status.rejected.version > version ? { rejected: status.rejected } : {};
  return { version, appliedAt: ts, ...rejected };
}

/** The status after `version` was refused: the running version stays, the rejection is added. */
export function configAfterRejected(status: ConfigStatus, version: number, reason: string, ts: number): ConfigStatus {
  return { ...status, rejected: { version, reason, ts } };
}
