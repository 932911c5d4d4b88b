/**
 * Error codes shared across the wire and the processes (STYLE.md: errors carry codes;
 * predicates decide policy). Each service adds its own in its errors.ts; these are the ones
 * that appear in payloads (health error counts, command results, notices).
 */
export const MODBUS_ERROR_CODES = [
  'MODBUS_TIMEOUT',
  'MODBUS_EXCEPTION',
  'MODBUS_CRC',
  'MODBUS_PORT_LOST',
  'MODBUS_CONN_REFUSED',
  'MODBUS_BAD_RESPONSE',
] as const;
export type ModbusErrorCode = (typeof MODBUS_ERROR_CODES)[number];

export const NOTICE_CODES = {
  CONFIG_APPLIED: 'a desired config was applied',
  CONFIG_REJECTED: 'a desired config failed validation; the running config stays',
  COMMAND_REJECTED: 'a command too malformed to name its id or device was refused',
  CONFIG_ROLLED_BACK: 'devices healthy before a config change stopped answering after it; the previous config is back',
  LIMITS_LEARNED: 'a device answered a smaller read where a merged one failed; its real limits are now used',
  OUTBOX_PRESSURE: 'the outbox reached its bound: telemetry is being dropped oldest first',
  OUTBOX_EVENTS_OVER_BOUND: 'events alone exceed the outbox bound; they are kept',
} as const;
export type NoticeCode = keyof typeof NOTICE_CODES;
