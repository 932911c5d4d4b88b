import type { CheckIssue } from '@edgefleet/device-profiles';

/**
 * The managed-config cross-checks live in device-profiles (checkManagedConfig) so the gateway and
 * the fleet server hold gateway.yaml, pushed configs and the server's desired configs to one set
 * of rules. ConfigIssue keeps the gateway's name for the issue shape.
 */
export { checkManagedConfig } from '@edgefleet/device-profiles';
export type ConfigIssue = CheckIssue;
