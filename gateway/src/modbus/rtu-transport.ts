import { stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import { CallLimiter } from './call-limiter.js';
import { LinkTransport, type LinkFlavour } from './link-transport.js';
import { clearRtuBuffer, rtuStrayBytes } from './modbus-client.js';
import { ModbusError, classifyModbusError } from './modbus-error.js';
import type { BackoffOptions } from './reconnect-backoff.js';
import { ReconnectingLink } from './reconnecting-link.js';

export interface RtuTransportOptions {
  busId: string;
  path: string;
  baud: number;
  parity: 'none' | 'even' | 'odd';
  dataBits: 7 | 8;
  stopBits: 1 | 2;
  /** How often to check, while up, that the device node still exists. Default 1000 ms. */
  presenceCheckMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  logger?: Logger;
}

// Modbus over Serial Line v1.02 §2.2: 0 is broadcast (no reply), 248..255 reserved.
const MAX_RTU_UNIT = 247;

/**
 * Whether the device node (or its /dev/serial/by-id link, or socat's PTY link) still exists.
 * When the far end of a PTY dies, a read may return 0 bytes instead of EIO; serialport 13 then
 * retries the read forever and never reports it, so the port would look alive until the next
 * write. An unplugged USB adapter likewise removes its node. Checking the path catches both.
 */
async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/**
 * Modbus RTU over a serial port (modbus-serial's buffered RTU port). One transaction at a time:
 * modbus-serial keys every RTU transaction under one id, so a second request in flight would
 * take the first one's reply. The t3.5 silence between transactions is the scheduler's job.
 */
export class RtuTransport extends LinkTransport {
  constructor(options: RtuTransportOptions) {
    const { path, baud, parity, dataBits, stopBits } = options;
    const link = new ReconnectingLink({
      label: `RTU bus ${options.busId} (${path})`,
      connect: (client) => client.connectRTUBuffered(path, { baudRate: baud, parity, dataBits, stopBits }),
      isPresent: () => pathExists(path),
      ...(options.presenceCheckMs === undefined ? {} : { presenceCheckMs: options.presenceCheckMs }),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    super(options.busId, 'rtu', link, new CallLimiter(1), RTU_FLAVOUR);
  }
}

const RTU_FLAVOUR: LinkFlavour = {
  checkUnit(unit) {
    if (!Number.isInteger(unit) || unit < 1 || unit > MAX_RTU_UNIT) {
      throw new ModbusError('MODBUS_BAD_REQUEST', `RTU unit id ${unit}: must be 1..${MAX_RTU_UNIT} (0 is broadcast and never answers)`);
    }
  },
  async transact(client, unit, timeoutMs, call) {
    clearRtuBuffer(client);
    client.setID(unit);
    client.setTimeout(timeoutMs);
    try {
      return await call(client);
    } catch (err) {
      const failure = classifyModbusError(err);
      // Bytes arrived but never formed a frame for this request: noise, not silence.
      const stray = failure.code === 'MODBUS_TIMEOUT' ? rtuStrayBytes(client) : 0;
      if (stray > 0) throw new ModbusError('MODBUS_BAD_RESPONSE', `unit ${unit}: ${stray} bytes received formed no valid reply`, { cause: err });
      throw failure;
    }
  },
};
