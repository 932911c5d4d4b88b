import type { Logger } from 'pino';
import { CallLimiter } from './call-limiter.js';
import { LinkTransport } from './link-transport.js';
import { isTcpStreamDesynchronised } from './modbus-client.js';
import type { ModbusSerialClient } from './modbus-client.js';
import { ModbusError, classifyModbusError } from './modbus-error.js';
import type { BackoffOptions } from './reconnect-backoff.js';
import { ReconnectingLink } from './reconnecting-link.js';
import { checkUnit } from './request-limits.js';

export interface TcpTransportOptions {
  busId: string;
  host: string;
  port: number;
  /** Transactions in flight at once on the connection (the bus's maxConcurrent). Default 1. */
  maxConcurrent?: number;
  /** Bound on one connect attempt. Default 5000 ms. */
  connectTimeoutMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  logger?: Logger;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const KEEPALIVE_DELAY_MS = 10_000;

/**
 * Modbus TCP over one connection. modbus-serial's TcpPort numbers each request with its own
 * MBAP transaction id and matches replies by it (index.js keys _transactions by id, TcpPort
 * sets _transactionIdRead from each reply's header), so several requests may be in flight on
 * one connection: up to `maxConcurrent`, the rest queued in order. setID/setTimeout are read
 * synchronously when a request is sent, so interleaved calls cannot take each other's unit.
 */
export class TcpTransport extends LinkTransport {
  constructor(options: TcpTransportOptions) {
    const { host, port } = options;
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const link = new ReconnectingLink({
      label: `TCP bus ${options.busId} (${host}:${port})`,
      connect: (client) => connectWithin(client, host, port, connectTimeoutMs),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    super(options.busId, 'tcp', link, new CallLimiter(options.maxConcurrent ?? 1), {
      checkUnit,
      async transact(client, unit, timeoutMs, call) {
        client.setID(unit);
        client.setTimeout(timeoutMs);
        try {
          return await call(client);
        } catch (err) {
          const failure = classifyModbusError(err);
          if (failure.code === 'MODBUS_TIMEOUT' && isTcpStreamDesynchronised(client)) {
            // Messaging on TCP/IP Implementation Guide v1.0b §4.3: on a bad MBAP header, close the
            // connection. After this call has settled with its own error, not before (the drop
            // rejects what is still in flight with MODBUS_PORT_LOST).
            setImmediate(() => link.drop('reply stream desynchronised (invalid MBAP header); reconnecting'));
            throw new ModbusError('MODBUS_BAD_RESPONSE', `unit ${unit}: invalid MBAP header in the reply stream`, { cause: err });
          }
          throw failure;
        }
      },
    });
  }
}

/**
 * connectTCP with a bound: a host that drops SYNs would otherwise hold an attempt for the OS's
 * two minutes. The abandoned socket is destroyed — the one use of destroy(): no call can be
 * pending on a client that never connected (LIBRARIES.md's warning is about pending calls).
 */
async function connectWithin(client: ModbusSerialClient, host: string, port: number, boundMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      client.destroy(() => undefined);
      reject(new ModbusError('MODBUS_CONN_REFUSED', `no connection to ${host}:${port} within ${boundMs} ms`));
    }, boundMs);
  });
  try {
    // TcpPort passes these options on to socket.connect(): keepalive lets the kernel notice a peer that vanished without a FIN.
    await Promise.race([client.connectTCP(host, { port, keepAlive: true, keepAliveInitialDelay: KEEPALIVE_DELAY_MS }), expired]);
  } finally {
    clearTimeout(timer);
  }
}
