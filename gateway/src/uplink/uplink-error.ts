/**
 * Uplink error codes (STYLE.md: errors carry codes). A topic outside the gateway's own uplink
 * channels is refused before it reaches mqtt.js: a broker that denies a publish closes the
 * connection without PUBACK and mqtt.js re-sends the same packet after every reconnect — a
 * poison loop (LIBRARIES.md, aedes).
 */
export const UPLINK_ERROR_CODES = {
  UPLINK_TOPIC_DENIED: 'a publish to a topic that is not one of this gateway\'s uplink channels was refused locally',
  UPLINK_NOT_CONNECTED: 'the broker connection is down; the message was not handed to the client',
  UPLINK_STOPPED: 'the uplink was stopped',
  UPLINK_OPTIONS_INVALID: 'the uplink options are invalid (URL scheme, gateway id, window or batch sizes)',
} as const;
export type UplinkErrorCode = keyof typeof UPLINK_ERROR_CODES;

export class UplinkError extends Error {
  readonly code: UplinkErrorCode;

  constructor(code: UplinkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UplinkError';
    this.code = code;
  }
}

export function isUplinkError(err: unknown): err is UplinkError {
  return err instanceof UplinkError;
}
