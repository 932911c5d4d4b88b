import type { ModbusTransport } from '../../../../gateway/src/modbus/index.js';
import { ModbusError, RtuTransport, TcpTransport } from '../../../../gateway/src/modbus/index.js';
import { CliError, EXIT } from '../cli-error.js';
import type { BusTarget } from './bus-options.js';
import { checkSerialPath } from './open-serial-port.js';

/**
 * The gateway's own transport for the bus (the same framing, limits and error classification as
 * in production), opened once: where the gateway keeps retrying a lost bus, a command at the
 * terminal fails on the first attempt with one line.
 */
export async function openTransport(target: BusTarget): Promise<ModbusTransport> {
  if (target.kind === 'rtu') await checkSerialPath(target.path);
  const transport =
    target.kind === 'rtu'
      ? new RtuTransport({ busId: 'cli', path: target.path, baud: target.baud, parity: target.parity, dataBits: target.dataBits, stopBits: target.stopBits })
      : new TcpTransport({ busId: 'cli', host: target.host, port: target.port });
  const where = target.kind === 'rtu' ? `serial port ${target.path}` : `Modbus TCP ${target.host}:${target.port}`;
  let unsubscribe: (() => void) | undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    unsubscribe = transport.onStateChange((state, reason) => {
      if (state === 'down' && reason !== 'closed') reject(new CliError(`cannot open ${where}: ${reason ?? 'unknown reason'}`, EXIT.bus, target.kind === 'rtu' ? 'is another program using it?' : 'is the device reachable, and is the port right?'));
    });
  });
  try {
    await Promise.race([transport.open(), failed]);
  } catch (err) {
    await transport.close();
    throw err;
  } finally {
    unsubscribe?.();
  }
  return transport;
}

/** A failed transaction as one line with the exit code scripts branch on. */
export function busFailure(err: unknown, what: string): CliError {
  if (!(err instanceof ModbusError)) return new CliError(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  switch (err.code) {
    case 'MODBUS_TIMEOUT':
      return new CliError(`${what}: no reply (${err.code})`, EXIT.noResponse, 'check the unit id (fleet scan), the baud rate and parity, or raise --timeout');
    case 'MODBUS_EXCEPTION':
      // App Protocol v1.1b3 §7: 0x0A/0x0B come from a TCP gateway that has no device behind that unit id.
      if (err.exceptionCode === 0x0a || err.exceptionCode === 0x0b) {
        return new CliError(`${what}: the gateway reports no device behind this unit id (exception ${err.exceptionCode})`, EXIT.noResponse, 'find the unit ids with `fleet scan`');
      }
      return new CliError(`${what}: the device answered with Modbus exception ${err.exceptionCode ?? '?'} (${err.message})`, EXIT.device, exceptionHint(err.exceptionCode));
    case 'MODBUS_PORT_LOST':
    case 'MODBUS_CONN_REFUSED':
      return new CliError(`${what}: ${err.message} (${err.code})`, EXIT.bus);
    default:
      return new CliError(`${what}: ${err.message} (${err.code})`, EXIT.noResponse, 'noise on the line, or the wrong baud rate/parity');
  }
}

/** Modbus App Protocol v1.1b3 §7. */
function exceptionHint(code: number | undefined): string {
  switch (code) {
    case 1:
      return 'the device does not support this function: is the profile right for it?';
    case 2:
      return 'the address is not in the device: is the profile right (numbering base, model)?';
    case 3:
      return 'the device refused the value or the read size';
    case 6:
      return 'the device is busy: try again';
    default:
      return 'see the device manual for this exception code';
  }
}
