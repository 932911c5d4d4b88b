/**
 * The gateway's error codes (STYLE.md: errors carry codes; predicates decide policy). Callers
 * branch on `code`; people read `message`. Modbus failures have their own class, ModbusError
 * (modbus/modbus-error.ts), whose codes come from the wire contract.
 */
export const GATEWAY_ERROR_CODES = {
  CONFIG_YAML: 'the config file is not well-formed YAML',
  CONFIG_INVALID: 'the config file breaks the schema or a cross-check (each issue names file, line and field)',
  CONFIG_UNREADABLE: 'the config file (or a file it names) cannot be read',
  RUNTIME_STOPPED: 'a config change arrived after the gateway began to stop; it is applied at the next start',
} as const;
export type GatewayErrorCode = keyof typeof GATEWAY_ERROR_CODES;

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;

  constructor(code: GatewayErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatewayError';
    this.code = code;
  }
}

export function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof GatewayError;
}
