export { PlanError } from './errors.js';
export type { PlanErrorCode } from './errors.js';
export { PROTOCOL_MAX_BITS, PROTOCOL_MAX_REGISTERS, BITS_PER_GAP_REGISTER } from './limits.js';
export type { PlanLimits } from './limits.js';
export { planReads } from './plan-reads.js';
export type { ReadRequest } from './plan-reads.js';
