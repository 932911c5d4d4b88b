export { openOutbox, OUTBOX_DEFAULTS } from './open-outbox.js';
export type { OutboxOptions } from './open-outbox.js';
export { SqliteOutbox, ROW_OVERHEAD_BYTES } from './sqlite-outbox.js';
export type { OutboxNoticeCode } from './sqlite-outbox.js';
export type { MaintenanceReport } from './outbox-maintenance.js';
export { OutboxError, isOutboxError } from './outbox-error.js';
export type { OutboxErrorCode } from './outbox-error.js';
export { chooseEvictions } from './eviction-plan.js';
export type * from './outbox-types.js';
