import type { ModbusErrorCode as WireModbusErrorCode } from '@edgefleet/protocol';

/**
 * Wire codes (protocol's MODBUS_ERROR_CODES) plus one local code: MODBUS_BAD_REQUEST, a request
 * the transport refuses to send (count 0 or over the Modbus limits, an address past 65535, a
 * word that is not 16-bit). It is a gateway bug, never a device fault, so it is not a wire code.
 */
export type ModbusErrorCode = WireModbusErrorCode | 'MODBUS_BAD_REQUEST';

export class ModbusError extends Error {
  readonly code: ModbusErrorCode;
  /** Modbus exception code (App Protocol v1.1b3 §7: 1..11) when code is MODBUS_EXCEPTION. */
  readonly exceptionCode?: number;

  constructor(code: ModbusErrorCode, message: string, options: { exceptionCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ModbusError';
    this.code = code;
    if (options.exceptionCode !== undefined) this.exceptionCode = options.exceptionCode;
  }
}

export function isModbusError(err: unknown): err is ModbusError {
  return err instanceof ModbusError;
}

/**
 * Retry later on the same device: the line or the reply was bad this time (timeout, CRC, a
 * reply that made no sense). An exception is not transient (the device answered, and will
 * answer the same); port loss and refusal are bus problems, handled by the transport's reconnect.
 */
export function isTransient(err: ModbusError): boolean {
  return err.code === 'MODBUS_TIMEOUT' || err.code === 'MODBUS_CRC' || err.code === 'MODBUS_BAD_RESPONSE';
}

/** The bus itself is unusable (every device on it fails): port lost or connection refused. */
export function isBusDown(err: ModbusError): boolean {
  return err.code === 'MODBUS_PORT_LOST' || err.code === 'MODBUS_CONN_REFUSED';
}

/** Node and serialport errno codes meaning "the connection could not be made". */
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']);
/** ... and "the port or connection went away" (EIO: the PTY's far end died; ENXIO: USB unplugged). */
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EIO', 'ENXIO', 'EBADF', 'ENODEV', 'ENOENT', 'EACCES', 'EBUSY']);

const LOST_MESSAGE = /cannot open|port is not open|port is opening|i\/o error|\bEIO\b|\bENXIO\b|disconnected/i;
/** modbus-serial's messages for replies it could not use (index.js _onReceive). */
const BAD_REPLY_MESSAGE = /^(Data length error|Unexpected data error)/;
/** modbus-serial's messages for arguments it refuses before sending. */
const BAD_ARGUMENT_MESSAGE = /^(Parameter valuesToWrite|numReadRegisters|numWriteRegisters|valuesToWrite length|Enron table)/;

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  errno?: unknown;
  syscall?: unknown;
  modbusCode?: unknown;
  disconnect?: unknown;
  disconnected?: unknown;
}

/**
 * Turns whatever modbus-serial, serialport or net rejected with into a ModbusError. The library
 * rejects with non-Error objects too (LIBRARIES.md); every shape found in modbus-serial 8.0.25,
 * @serialport/stream 13 and node:net is listed in the classifier's table test.
 */
export function classifyModbusError(err: unknown): ModbusError {
  if (err instanceof ModbusError) return err;
  if (err === null || typeof err !== 'object') {
    // TcpPort's open callback receives close()'s `had_error` boolean when the socket closes first.
    const code = typeof err === 'boolean' ? 'MODBUS_PORT_LOST' : 'MODBUS_BAD_RESPONSE';
    return new ModbusError(code, `connection closed (${String(err)})`, { cause: err });
  }
  const shape = err as ErrorShape;
  const message = typeof shape.message === 'string' && shape.message !== '' ? shape.message : String(shape.name ?? 'unknown error');
  const make = (code: ModbusErrorCode, exceptionCode?: number): ModbusError =>
    new ModbusError(code, message, exceptionCode === undefined ? { cause: err } : { cause: err, exceptionCode });

  if (typeof shape.modbusCode === 'number') return make('MODBUS_EXCEPTION', shape.modbusCode);
  const code = stringOrUndefined(shape.code);
  const errno = stringOrUndefined(shape.errno);
  // modbus-serial's own objects carry a string errno; node's carry a numeric errno and a string code.
  if (shape.name === 'TransactionTimedOutError' || errno === 'ETIMEDOUT') return make('MODBUS_TIMEOUT');
  if (shape.name === 'PortNotOpenError') return make('MODBUS_PORT_LOST');
  if (shape.name === 'BadAddressError' || BAD_ARGUMENT_MESSAGE.test(message)) return make('MODBUS_BAD_REQUEST');
  if (message === 'CRC error') return make('MODBUS_CRC');
  if (BAD_REPLY_MESSAGE.test(message)) return make('MODBUS_BAD_RESPONSE');
  if (message === 'TCP Connection Timed Out') return make('MODBUS_CONN_REFUSED');
  if (code === 'ETIMEDOUT') return make(shape.syscall === 'connect' ? 'MODBUS_CONN_REFUSED' : 'MODBUS_PORT_LOST');
  if (code !== undefined && REFUSED_CODES.has(code)) return make('MODBUS_CONN_REFUSED');
  if (code !== undefined && LOST_CODES.has(code)) return make('MODBUS_PORT_LOST');
  if (shape.name === 'DisconnectedError' || shape.disconnected === true || shape.disconnect === true) return make('MODBUS_PORT_LOST');
  // SerialPortError wraps a serialport error with errno 'ECONNREFUSED' whatever happened: the port is unusable.
  if (shape.name === 'SerialPortError' || errno === 'ECONNREFUSED' || LOST_MESSAGE.test(message)) return make('MODBUS_PORT_LOST');
  // A reply too short for its parser makes Buffer reads throw RangeError inside _onReceive.
  return make('MODBUS_BAD_RESPONSE');
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
