export { Downlink } from './downlink.js';
export type { DownlinkDeps, DownlinkStats, ConfigOutcome, CommandOutcome } from './downlink.js';
export { RecentIds } from './recent-ids.js';
export { isConfigHandled, configAfterApplied, configAfterRejected } from './config-status.js';
export { parsePayload, describeIssues, readCommandIdentity, readConfigVersion } from './parse-payload.js';
export type { Parsed } from './parse-payload.js';
