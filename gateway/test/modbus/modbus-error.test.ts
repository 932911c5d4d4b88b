import net from 'node:net';
import type { AddressInfo } from 'node:net';
import ModbusRTU from 'modbus-serial';
import { describe, expect, it } from 'vitest';
import { ModbusError, classifyModbusError, isBusDown, isTransient } from '../../src/modbus/modbus-error.js';
import type { ModbusErrorCode } from '../../src/modbus/modbus-error.js';

const withProps = (error: Error, props: Record<string, unknown>): Error => Object.assign(error, props);
const netError = (message: string, code: string, syscall: string): Error => withProps(new Error(message), { code, errno: -1, syscall });

/**
 * Every rejection shape found in the sources: modbus-serial 8.0.25 (index.js, ports/tcpport.js,
 * apis/connection.js), @serialport/stream and bindings-cpp 13 (unix-read/unix-write, open), node:net.
 */
const SHAPES: Array<[string, unknown, ModbusErrorCode, number?]> = [
  // index.js TransactionTimedOutError: a plain object, not an Error
  ['TransactionTimedOutError', { name: 'TransactionTimedOutError', message: 'Timed out', errno: 'ETIMEDOUT' }, 'MODBUS_TIMEOUT'],
  ['PortNotOpenError', { name: 'PortNotOpenError', message: 'Port Not Open', errno: 'ECONNREFUSED' }, 'MODBUS_PORT_LOST'],
  ['BadAddressError', { name: 'BadAddressError', message: 'Bad Client Address', errno: 'ECONNREFUSED' }, 'MODBUS_BAD_REQUEST'],
  ['SerialPortError (EIO)', { name: 'SerialPortError', message: 'EIO: i/o error, write', errno: 'ECONNREFUSED' }, 'MODBUS_PORT_LOST'],
  ['SerialPortError (no message)', { name: 'SerialPortError', message: null, errno: 'ECONNREFUSED' }, 'MODBUS_PORT_LOST'],
  ['CRC error', new Error('CRC error'), 'MODBUS_CRC'],
  ['exception 2', withProps(new Error('Modbus exception 2: Illegal data address (register not supported by device)'), { modbusCode: 2 }), 'MODBUS_EXCEPTION', 2],
  ['exception 11', withProps(new Error('Modbus exception 11: Gateway target device failed to respond'), { modbusCode: 11 }), 'MODBUS_EXCEPTION', 11],
  ['short reply', new Error('Data length error, expected 25 got 7'), 'MODBUS_BAD_RESPONSE'],
  ['reply from another unit', new Error('Unexpected data error, expected address 1 got 2'), 'MODBUS_BAD_RESPONSE'],
  ['reply with another function', new Error('Unexpected data error, expected code 3 got 4'), 'MODBUS_BAD_RESPONSE'],
  ['parser overrun', new RangeError('The value of "offset" is out of range. It must be >= 0 and <= 5. Received 6'), 'MODBUS_BAD_RESPONSE'],
  ['bad write argument', new Error('Parameter valuesToWrite must be an array or buffer'), 'MODBUS_BAD_REQUEST'],
  // tcpport.js: socket idle timeout during connect; close(had_error) hands the open callback a boolean
  ['TCP connect timeout', new Error('TCP Connection Timed Out'), 'MODBUS_CONN_REFUSED'],
  ['TcpPort close(had_error)', true, 'MODBUS_PORT_LOST'],
  // node:net
  ['ECONNREFUSED', netError('connect ECONNREFUSED 127.0.0.1:502', 'ECONNREFUSED', 'connect'), 'MODBUS_CONN_REFUSED'],
  ['EHOSTUNREACH', netError('connect EHOSTUNREACH 10.0.0.9:502', 'EHOSTUNREACH', 'connect'), 'MODBUS_CONN_REFUSED'],
  ['ENOTFOUND', netError('getaddrinfo ENOTFOUND plc.local', 'ENOTFOUND', 'getaddrinfo'), 'MODBUS_CONN_REFUSED'],
  ['connect ETIMEDOUT', netError('connect ETIMEDOUT 10.0.0.9:502', 'ETIMEDOUT', 'connect'), 'MODBUS_CONN_REFUSED'],
  ['read ETIMEDOUT', netError('read ETIMEDOUT', 'ETIMEDOUT', 'read'), 'MODBUS_PORT_LOST'],
  ['ECONNRESET', netError('read ECONNRESET', 'ECONNRESET', 'read'), 'MODBUS_PORT_LOST'],
  ['EPIPE', netError('write EPIPE', 'EPIPE', 'write'), 'MODBUS_PORT_LOST'],
  // serialport
  ['read EIO', netError('EIO: i/o error, read', 'EIO', 'read'), 'MODBUS_PORT_LOST'],
  ['DisconnectedError', withProps(new Error('EIO: i/o error, read'), { name: 'DisconnectedError', disconnected: true }), 'MODBUS_PORT_LOST'],
  ['BindingsError disconnect', withProps(new Error('ENXIO: no such device or address, read'), { disconnect: true }), 'MODBUS_PORT_LOST'],
  ['open: missing device', new Error('Error: No such file or directory, cannot open /dev/ttyUSB9'), 'MODBUS_PORT_LOST'],
  ['open: permission', new Error('Error: Permission denied, cannot open /dev/ttyS0'), 'MODBUS_PORT_LOST'],
  ['write on a closed port', new Error('Port is not open'), 'MODBUS_PORT_LOST'],
  // anything else: the device said something we cannot use
  ['unknown error', new Error('something odd'), 'MODBUS_BAD_RESPONSE'],
  ['undefined', undefined, 'MODBUS_BAD_RESPONSE'],
];

describe('classifyModbusError', () => {
  it.each(SHAPES)('%s', (_name, raw, code, exceptionCode) => {
    const err = classifyModbusError(raw);
    expect(err).toBeInstanceOf(ModbusError);
    expect(err.code).toBe(code);
    expect(err.exceptionCode).toBe(exceptionCode);
    expect(err.cause).toBe(raw);
    expect(err.message).not.toBe('');
  });

  it('returns a ModbusError unchanged', () => {
    const original = new ModbusError('MODBUS_CRC', 'x');
    expect(classifyModbusError(original)).toBe(original);
  });

  it('classifies what modbus-serial really rejects with: a call on a client that is not open', async () => {
    const client = new ModbusRTU.default();
    const raw = await client.readHoldingRegisters(0, 1).then(() => undefined, (e: unknown) => e);
    expect(raw).not.toBeInstanceOf(Error);
    expect(classifyModbusError(raw).code).toBe('MODBUS_PORT_LOST');
  });

  it('... a TCP connect to a closed port', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = new ModbusRTU.default();
    const raw = await client.connectTCP('127.0.0.1', { port }).then(() => undefined, (e: unknown) => e);
    expect(classifyModbusError(raw).code).toBe('MODBUS_CONN_REFUSED');
  });

  it('... a serial port that does not exist', async () => {
    const client = new ModbusRTU.default();
    const raw = await client.connectRTUBuffered('/nonexistent/tty-edgefleet', { baudRate: 9600 }).then(() => undefined, (e: unknown) => e);
    expect(classifyModbusError(raw).code).toBe('MODBUS_PORT_LOST');
  });
});

describe('isTransient and isBusDown', () => {
  it.each([
    ['MODBUS_TIMEOUT', true, false],
    ['MODBUS_CRC', true, false],
    ['MODBUS_BAD_RESPONSE', true, false],
    ['MODBUS_EXCEPTION', false, false],
    ['MODBUS_PORT_LOST', false, true],
    ['MODBUS_CONN_REFUSED', false, true],
    ['MODBUS_BAD_REQUEST', false, false],
  ] as const)('%s: transient %s, bus down %s', (code, transient, busDown) => {
    const err = new ModbusError(code, 'x');
    expect(isTransient(err)).toBe(transient);
    expect(isBusDown(err)).toBe(busDown);
  });
});
