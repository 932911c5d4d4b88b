import type { Bus } from '@edgefleet/protocol';
import type { Logger } from 'pino';
import type { ModbusTransport } from '../modbus/modbus-transport.js';
import { RtuTransport } from '../modbus/rtu-transport.js';
import { TcpTransport } from '../modbus/tcp-transport.js';

/** Builds the transport for one bus of the config. */
export function createTransport(bus: Bus, logger: Logger): ModbusTransport {
  const log = logger.child({ bus: bus.id });
  return bus.kind === 'rtu'
    ? new RtuTransport({ busId: bus.id, path: bus.path, baud: bus.baud, parity: bus.parity, dataBits: bus.dataBits, stopBits: bus.stopBits, logger: log })
    : new TcpTransport({ busId: bus.id, host: bus.host, port: bus.port, maxConcurrent: bus.maxConcurrent, logger: log });
}

/** Same bus, same wire settings: the open transport can be kept across a config change. */
export function sameBus(a: Bus, b: Bus): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
